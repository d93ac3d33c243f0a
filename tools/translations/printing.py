"""Hindi for the labels printed by nidaan.printing (letterheads)."""

T = {
    "Timings": "समय",
}
P: dict[str, tuple[str, str]] = {}
