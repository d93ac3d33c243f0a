"""Hindi for records requests: the patient page's links and the printed records summary."""

T = {
    # Patient page
    "Records request": "रिकॉर्ड की माँग",
    "Summary (PDF)": "सारांश (PDF)",
    "FHIR file": "FHIR फ़ाइल",
    "FHIR file with the reports inside": "रिपोर्ट समेत FHIR फ़ाइल",
    # The printed summary
    "Summary of medical records": "चिकित्सा रिकॉर्ड का सारांश",
    "Issued on": "जारी करने की तारीख़",
    "Issued on the patient's request for their records. Each record is shown in its latest version; records withdrawn as entered in error are left out.": "मरीज़ के अपने रिकॉर्ड माँगने पर जारी। हर रिकॉर्ड अपने नवीनतम रूप में है; ग़लती से दर्ज होने के कारण हटाए गए रिकॉर्ड शामिल नहीं हैं।",
    "Page %(page)s of %(pages)s": "पृष्ठ %(page)s / %(pages)s",
    "No allergy recorded.": "कोई एलर्जी दर्ज नहीं।",
    "Problem list and diagnoses": "बीमारियों की सूची और डायग्नोसिस",
    "No diagnosis recorded.": "कोई डायग्नोसिस दर्ज नहीं।",
    "First noted": "पहली बार दर्ज",
    "Last noted": "आख़िरी बार दर्ज",
    "Active": "जारी",
    "Resolved": "ठीक हो गया",
    "provisional": "अस्थायी",
    "No visit recorded.": "कोई विज़िट दर्ज नहीं।",
    "version": "संस्करण",
    "No report or image uploaded.": "कोई रिपोर्ट या फ़ोटो अपलोड नहीं।",
    "No bill issued.": "कोई बिल जारी नहीं।",
    "File": "फ़ाइल",
    # "Who saw this record": which document was printed or exported
    "Prescription %(number)s": "पर्चा %(number)s",
    "Bill %(number)s": "बिल %(number)s",
    "(version %(number)s)": "(संस्करण %(number)s)",
    "All records (FHIR file)": "सारे रिकॉर्ड (FHIR फ़ाइल)",
    "Records summary (PDF)": "रिकॉर्ड का सारांश (PDF)",
    "All records (JSON)": "सारे रिकॉर्ड (JSON)",
}
