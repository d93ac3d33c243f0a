T = {
    "My queue": "मेरी लाइन",
    "Tokens": "टोकन",
    "Appointments": "अपॉइंटमेंट",
    "Give token": "टोकन दें",
    "Book appointment": "अपॉइंटमेंट बुक करें",
    "Visit history": "पुरानी विज़िट",
    "Visit notes are shown to doctors and nurses.": "विज़िट के नोट्स डॉक्टर और नर्स ही देख सकते हैं।",
}
