T = {
    # audit pages on the hub: events shipped by each clinic PC
    "PC": "कंप्यूटर",
    "The audit log of PC %(pc)s was refused on %(when)s:": "कंप्यूटर %(pc)s का ऑडिट लॉग %(when)s को अस्वीकार किया गया:",
}
P: dict[str, tuple[str, str]] = {}
