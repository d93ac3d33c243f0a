T = {
    "This PC's patient records are NOT encrypted (NIDAAN_DB_ENCRYPTION=off): anyone who takes the PC or its disk can read them. Remove that setting and run “nidaan keys encrypt-database”.": (
        "इस पीसी के मरीज़ों के रिकॉर्ड एन्क्रिप्ट नहीं हैं (NIDAAN_DB_ENCRYPTION=off): जो भी यह पीसी या इसकी डिस्क ले जाए, उन्हें पढ़ सकता है। यह सेटिंग हटाएँ और “nidaan keys encrypt-database” चलाएँ।"
    ),
    "This PC's database file is still a plain SQLite file from an older Nidaan: stop Nidaan and run “nidaan keys encrypt-database”.": (
        "इस पीसी की डेटाबेस फ़ाइल अभी भी पुराने निदान की सादी SQLite फ़ाइल है: निदान बंद करें और “nidaan keys encrypt-database” चलाएँ।"
    ),
    "This set-up is NOT protected: the key that unlocks the patient records is stored beside them, so anyone who takes the PC or its disk can read them. The administrator fixes this with “nidaan keys protect” (a passphrase) or “nidaan keys keyring” (the computer's keyring), and prints the recovery key.": (
        "यह व्यवस्था सुरक्षित नहीं है: मरीज़ों के रिकॉर्ड खोलने वाली कुंजी उन्हीं के साथ रखी है, इसलिए जो भी यह पीसी या इसकी डिस्क ले जाए, उन्हें पढ़ सकता है। एडमिन इसे “nidaan keys protect” (पासफ़्रेज़) या “nidaan keys keyring” (कंप्यूटर का कीरिंग) से ठीक करें, और रिकवरी कुंजी प्रिंट करके रखें।"
    ),
}
P: dict[str, tuple[str, str]] = {}
