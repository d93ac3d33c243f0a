T = {
    # audit pages on the hub: events shipped by each clinic PC
    "PC": "कंप्यूटर",
    "The audit log of PC %(pc)s was refused on %(when)s:": "कंप्यूटर %(pc)s का ऑडिट लॉग %(when)s को अस्वीकार किया गया:",
    # privacy: carrying out an erasure
    "The patient's personal data was erased.": "मरीज़ की निजी जानकारी मिटा दी गई।",
    "This registration was erased at the patient's request.": "यह पंजीकरण मरीज़ के अनुरोध पर मिटाया गया था।",
    "Not erased: the law requires these records to be kept until %(day)s.": "नहीं मिटाया गया: क़ानून के अनुसार ये रिकॉर्ड %(day)s तक रखने ज़रूरी हैं।",
    "Erase": "मिटाएँ",
    "The personal data of this registration was erased on %(day)s: name, mobile, address, ABHA, date of birth and documents, on this PC and on every PC and the hub it syncs with.": "इस पंजीकरण की निजी जानकारी %(day)s को मिटा दी गई: नाम, मोबाइल, पता, ABHA, जन्म तिथि और दस्तावेज़, इस कंप्यूटर पर और उन सभी कंप्यूटरों व हब पर जिनसे यह सिंक करता है।",
    "Erasing is possible from %(day)s, when the law no longer requires these records.": "%(day)s से मिटाना संभव होगा, जब क़ानून को इन रिकॉर्ड की ज़रूरत नहीं रहेगी।",
    "Replaces the name (in both scripts), mobile, address, guardian, ABHA and date of birth with a mark that they were erased, deletes the patient's documents, and removes the patient from search, on this PC and on every PC and the hub it syncs with. This cannot be undone.": "नाम (दोनों लिपियों में), मोबाइल, पता, अभिभावक, ABHA और जन्म तिथि की जगह 'मिटाया गया' का निशान लगाता है, मरीज़ के दस्तावेज़ हटाता है और मरीज़ को खोज से हटाता है, इस कंप्यूटर पर और उन सभी कंप्यूटरों व हब पर जिनसे यह सिंक करता है। इसे वापस नहीं किया जा सकता।",
    "Erase the personal data now": "निजी जानकारी अभी मिटाएँ",
    "Bills are kept for 72 months after the due date of the annual GST return of their year (last bill %(day)s), as the CGST Act (section 36) requires.": "बिल अपने वर्ष के वार्षिक GST रिटर्न की अंतिम तिथि के बाद 72 महीने तक रखे जाते हैं (अंतिम बिल %(day)s), जैसा CGST अधिनियम (धारा 36) कहता है।",
    "Personal details erased at the patient's request": "निजी विवरण मरीज़ के अनुरोध पर मिटाए गए",
}
P: dict[str, tuple[str, str]] = {}
