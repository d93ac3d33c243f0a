"""Realistic fake patients of Uttar Pradesh and Bihar, registered in Devanagari or Latin.

Deterministic for a seed. Names are built from weighted tables (earlier entries are
commoner, roughly Zipf) of Hindu and Muslim first names for men and women, surnames,
the women's "surnames" Devi / Kumari / Khatoon / Bano, and "Mohd" before many Muslim
men's names. Each word has its Devanagari form and the Latin spellings people use
(most common first), so a patient can be rendered in either script, or in another
spelling, to make queries. Mobiles start with 6–9 and are often shared within a
family; some patients have an ABHA number.

`PLANTED_*` tables hold rarer names that the main generator never produces: the recall
benchmark registers patients under them and searches with variant spellings.
"""

from __future__ import annotations

import datetime
import functools
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import phonenumbers

# Ages are computed against a fixed day so that the data set is the same on any date.
REFERENCE_DAY = datetime.date(2026, 11, 1)


@dataclass(frozen=True)
class Word:
    """One word of a name: its Devanagari spelling(s) and Latin spellings, commonest first."""

    deva: tuple[str, ...]
    latin: tuple[str, ...]

    def spell_latin(self, rng: random.Random) -> str:
        if len(self.latin) == 1 or rng.random() < 0.6:
            return self.latin[0]
        return rng.choice(self.latin[1:])

    def spell_deva(self, rng: random.Random) -> str:
        if len(self.deva) == 1 or rng.random() < 0.8:
            return self.deva[0]
        return rng.choice(self.deva[1:])


def w(deva: str, latin: str) -> Word:
    """`w("पूजा", "Pooja Puja")`: spellings separated by spaces, `|` between Devanagari ones."""
    return Word(tuple(deva.split("|")), tuple(latin.split()))


# --- first names, commonest first --------------------------------------------------------

HINDU_MEN = [
    w("रमेश", "Ramesh"),
    w("सुरेश", "Suresh"),
    w("राजेश", "Rajesh"),
    w("मनोज", "Manoj"),
    w("संजय", "Sanjay Sanjai"),
    w("राकेश", "Rakesh"),
    w("अनिल", "Anil"),
    w("सुनील", "Sunil"),
    w("विनोद", "Vinod Binod"),
    w("अमित", "Amit"),
    w("दिनेश", "Dinesh"),
    w("मुकेश", "Mukesh"),
    w("अशोक", "Ashok"),
    w("विजय", "Vijay Bijay"),
    w("अजय", "Ajay"),
    w("संतोष", "Santosh"),
    w("प्रमोद", "Pramod"),
    w("राहुल", "Rahul"),
    w("रवि", "Ravi"),
    w("राजू", "Raju"),
    w("धर्मेंद्र", "Dharmendra"),
    w("जितेंद्र", "Jitendra"),
    w("उमेश", "Umesh"),
    w("महेश", "Mahesh"),
    w("गणेश", "Ganesh"),
    w("श्याम", "Shyam"),
    w("राम", "Ram"),
    w("मनीष", "Manish"),
    w("प्रदीप", "Pradeep Pradip"),
    w("दीपक", "Deepak Dipak"),
    w("पंकज", "Pankaj"),
    w("नीरज", "Neeraj Niraj"),
    w("विकास", "Vikas Vikash"),
    w("अभिषेक", "Abhishek"),
    w("रोहित", "Rohit"),
    w("सौरभ", "Saurabh Sourabh"),
    w("आकाश", "Akash Aakash"),
    w("शंकर", "Shankar"),
    w("लक्ष्मण", "Laxman Lakshman"),
    w("कृष्णा", "Krishna"),
    w("रामबाबू", "Rambabu"),
    w("भोला", "Bhola"),
    w("गोपाल", "Gopal"),
    w("अरविंद", "Arvind Arbind"),
    w("नरेश", "Naresh"),
    w("सतीश", "Satish Sateesh"),
    w("योगेश", "Yogesh"),
    w("हरि", "Hari"),
    w("शिव", "Shiv Shiva"),
    w("बबलू", "Bablu"),
    w("पप्पू", "Pappu"),
    w("मुन्ना", "Munna"),
]
HINDU_WOMEN = [
    w("सुनीता", "Sunita Suneeta"),
    w("अनीता", "Anita Aneeta"),
    w("पूजा", "Pooja Puja"),
    w("रीता", "Rita Reeta"),
    w("गीता", "Geeta Gita"),
    w("प्रियंका", "Priyanka"),
    w("नेहा", "Neha"),
    w("सीता", "Sita Seeta"),
    w("मीना", "Meena Mina"),
    w("रेखा", "Rekha"),
    w("किरण", "Kiran"),
    w("ममता", "Mamta Mamata"),
    w("सरिता", "Sarita"),
    w("कविता", "Kavita"),
    w("बबीता", "Babita Babeeta"),
    w("संगीता", "Sangeeta Sangita"),
    w("उषा", "Usha"),
    w("आशा", "Asha"),
    w("सावित्री", "Savitri"),
    w("कमला", "Kamla Kamala"),
    w("शांति", "Shanti Santi"),
    w("लक्ष्मी", "Laxmi Lakshmi"),
    w("राधा", "Radha"),
    w("सुमन", "Suman"),
    w("मंजू", "Manju"),
    w("रंजू", "Ranju"),
    w("अंजलि", "Anjali"),
    w("प्रीति", "Preeti Priti"),
    w("ज्योति", "Jyoti"),
    w("पिंकी", "Pinki Pinky"),
    w("रिंकी", "Rinki"),
    w("निशा", "Nisha"),
    w("शोभा", "Shobha"),
    w("चंदा", "Chanda"),
    w("सुशीला", "Sushila Susheela"),
    w("उर्मिला", "Urmila"),
    w("ललिता", "Lalita"),
    w("पुष्पा", "Pushpa"),
    w("मालती", "Malti"),
    w("कंचन", "Kanchan"),
    w("सोनी", "Soni"),
    w("खुशबू", "Khushboo Khushbu"),
    w("नीलम", "Neelam Nilam"),
    w("माया", "Maya"),
    w("रूबी", "Ruby Rubi"),
]
MUSLIM_MEN = [
    w("आरिफ़|आरिफ", "Arif"),
    w("इमरान", "Imran"),
    w("सलीम", "Salim Saleem"),
    w("शाहिद", "Shahid"),
    w("जावेद", "Javed Jawed"),
    w("नसीम", "Naseem Nasim"),
    w("रफ़ीक|रफीक", "Rafiq Rafique"),
    w("अनवर", "Anwar"),
    w("इरफ़ान|इरफान", "Irfan"),
    w("असलम", "Aslam"),
    w("फ़िरोज़|फिरोज", "Firoz Feroz"),
    w("ज़ाकिर|जाकिर", "Zakir Jakir"),
    w("इक़बाल|इकबाल", "Iqbal Ikbal"),
    w("रहीम", "Rahim Raheem"),
    w("वसीम", "Wasim Waseem"),
    w("शकील", "Shakeel Shakil"),
    w("अख़्तर|अख्तर", "Akhtar"),
    w("सद्दाम", "Saddam"),
    w("मुस्तफ़ा|मुस्तफा", "Mustafa"),
    w("नौशाद", "Naushad Noushad"),
]
MUSLIM_WOMEN = [
    w("फ़ातिमा|फातिमा", "Fatima"),
    w("शबनम", "Shabnam"),
    w("नाज़िया|नाजिया", "Nazia"),
    w("रुबीना", "Rubina Rubeena"),
    w("शाहीन", "Shaheen Shahin"),
    w("यास्मीन", "Yasmin Yasmeen"),
    w("सायरा", "Saira"),
    w("नसरीन", "Nasreen Nasrin"),
    w("रेशमा", "Reshma"),
    w("सलमा", "Salma"),
    w("आयशा", "Ayesha Aisha"),
    w("ज़ीनत|जीनत", "Zeenat Jeenat"),
    w("तबस्सुम", "Tabassum"),
    w("फ़रज़ाना|फरजाना", "Farzana"),
    w("रज़िया|रजिया", "Razia Rajiya"),
    w("अफ़साना|अफसाना", "Afsana"),
]

# --- surnames ------------------------------------------------------------------------------

HINDU_SURNAMES = [
    w("कुमार", "Kumar"),
    w("सिंह", "Singh"),
    w("यादव", "Yadav"),
    w("प्रसाद", "Prasad"),
    w("पासवान", "Paswan"),
    w("मिश्रा", "Mishra Misra"),
    w("गुप्ता", "Gupta"),
    w("श्रीवास्तव", "Srivastava Shrivastav Srivastav Shrivastava"),
    w("वर्मा", "Verma Varma"),
    w("पांडेय|पाण्डेय", "Pandey Pande"),
    w("झा", "Jha"),
    w("शर्मा", "Sharma"),
    w("तिवारी", "Tiwari Tiwary"),
    w("चौधरी", "Chaudhary Choudhary"),
    w("राय", "Rai Roy"),
    w("मंडल", "Mandal"),
    w("महतो", "Mahto"),
    w("साह", "Sah Shah"),
    w("दास", "Das"),
    w("ठाकुर", "Thakur"),
    w("दुबे", "Dubey Dube"),
    w("शुक्ला", "Shukla"),
    w("त्रिपाठी", "Tripathi"),
    w("सिन्हा", "Sinha"),
    w("ओझा", "Ojha"),
    w("राम", "Ram"),
    w("रजक", "Rajak"),
    w("मौर्य", "Maurya"),
    w("पाल", "Pal"),
    w("जायसवाल", "Jaiswal"),
]
MUSLIM_SURNAMES = [
    w("अंसारी", "Ansari"),
    w("ख़ान|खान", "Khan"),
    w("सिद्दीक़ी|सिद्दीकी", "Siddiqui Siddiqi"),
    w("क़ुरैशी|कुरैशी", "Qureshi Kureshi"),
    w("शेख़|शेख", "Shaikh Sheikh"),
    w("अहमद", "Ahmad Ahmed"),
    w("आलम", "Alam"),
    w("हुसैन", "Hussain Husain"),
    w("रज़ा|रजा", "Raza"),
    w("मलिक", "Malik"),
    w("अली", "Ali"),
]
DEVI = w("देवी", "Devi")
KUMARI = w("कुमारी", "Kumari")
KUMAR = HINDU_SURNAMES[0]
KHATOON = w("ख़ातून|खातून", "Khatoon Khatun")
BANO = w("बानो", "Bano")
BEGUM = w("बेगम", "Begum")
PARVEEN = w("परवीन", "Parveen")
MOHD = w("मोहम्मद|मो॰|मुहम्मद", "Mohd Md Mohammad Mohammed")

# Honorifics a receptionist may add to a query (recall benchmark).
SMT = w("श्रीमती", "Smt Shrimati")
SHRI = w("श्री", "Shri Sri")

# --- names the main generator never produces: the labelled recall set ---------------------

PLANTED_HINDU_WOMEN = [
    w("कौशल्या", "Kaushalya"),
    w("यशोदा", "Yashoda"),
    w("फूलमती", "Phoolmati"),
    w("दुलारी", "Dulari"),
    w("हेमलता", "Hemlata"),
    w("बिंदेश्वरी", "Bindeshwari"),
    w("सुभद्रा", "Subhadra"),
    w("मंदाकिनी", "Mandakini"),
    w("रामरती", "Ramrati"),
    w("तारामणि", "Taramani"),
    w("गायत्री", "Gayatri"),
]
PLANTED_HINDU_MEN = [
    w("धनेश्वर", "Dhaneshwar"),
    w("भुवनेश्वर", "Bhuvneshwar"),
    w("रामेश्वर", "Rameshwar"),
    w("चंद्रशेखर", "Chandrashekhar"),
    w("विश्वनाथ", "Vishwanath"),
    w("काशीनाथ", "Kashinath"),
    w("शत्रुघ्न", "Shatrughan"),
    w("त्रिभुवन", "Tribhuvan"),
    w("जगन्नाथ", "Jagannath"),
    w("बैजनाथ", "Baijnath"),
    w("केदारनाथ", "Kedarnath"),
]
PLANTED_HINDU_SURNAMES = [
    w("कुशवाहा", "Kushwaha"),
    w("चौरसिया", "Chaurasia"),
    w("द्विवेदी", "Dwivedi"),
    w("चतुर्वेदी", "Chaturvedi"),
    w("उपाध्याय", "Upadhyay"),
    w("भारद्वाज", "Bhardwaj"),
    w("राजभर", "Rajbhar"),
    w("निषाद", "Nishad"),
    w("विश्वकर्मा", "Vishwakarma"),
    w("प्रजापति", "Prajapati"),
    w("मांझी", "Manjhi"),
    w("रविदास", "Ravidas"),
    w("बघेल", "Baghel"),
    w("सहनी", "Sahni"),
]
PLANTED_MUSLIM_MEN = [
    w("इश्तियाक़|इश्तियाक", "Ishtiyaq"),
    w("ज़ुल्फ़िकार|जुल्फिकार", "Zulfiqar"),
    w("मुश्ताक़|मुश्ताक", "Mushtaq"),
    w("निज़ामुद्दीन|निजामुद्दीन", "Nizamuddin"),
    w("शमशेर", "Shamsher"),
]
PLANTED_MUSLIM_WOMEN = [
    w("ज़ुबैदा|जुबैदा", "Zubaida"),
    w("रुख़साना|रुखसाना", "Rukhsana"),
    w("नूरजहाँ", "Noorjahan"),
    w("कनीज़|कनीज", "Kaneez"),
    w("शहनाज़|शहनाज", "Shehnaz"),
]
PLANTED_MUSLIM_SURNAMES = [
    w("उस्मानी", "Usmani"),
    w("फ़ारूक़ी|फारूकी", "Farooqui"),
    w("नदवी", "Nadvi"),
    w("इदरीसी", "Idrisi"),
]

# --- places --------------------------------------------------------------------------------

UP, BIHAR = "09", "10"
PLACES: list[tuple[str, str, str, str, str]] = [  # Latin, Devanagari, district, state, PIN
    ("Alambagh", "आलमबाग", "Lucknow", UP, "226005"),
    ("Kankarbagh", "कंकड़बाग", "Patna", BIHAR, "800020"),
    ("Gomti Nagar", "गोमती नगर", "Lucknow", UP, "226010"),
    ("Bodh Gaya", "बोधगया", "Gaya", BIHAR, "824231"),
    ("Aminabad", "अमीनाबाद", "Lucknow", UP, "226018"),
    ("Danapur", "दानापुर", "Patna", BIHAR, "801503"),
    ("Chinhat", "चिनहट", "Lucknow", UP, "226028"),
    ("Boring Road", "बोरिंग रोड", "Patna", BIHAR, "800001"),
    ("Chowk", "चौक", "Lucknow", UP, "226003"),
    ("Phulwari Sharif", "फुलवारी शरीफ", "Patna", BIHAR, "801505"),
    ("Hazratganj", "हजरतगंज", "Lucknow", UP, "226001"),
    ("Sherghati", "शेरघाटी", "Gaya", BIHAR, "824211"),
    ("Malihabad", "मलिहाबाद", "Lucknow", UP, "226102"),
    ("Manpur", "मानपुर", "Gaya", BIHAR, "823003"),
    ("Bakshi Ka Talab", "बख्शी का तालाब", "Lucknow", UP, "226201"),
    ("Tekari", "टेकारी", "Gaya", BIHAR, "824236"),
    ("Mohanlalganj", "मोहनलालगंज", "Lucknow", UP, "226301"),
    ("Bihar Sharif", "बिहार शरीफ", "Nalanda", BIHAR, "803101"),
    ("Lanka", "लंका", "Varanasi", UP, "221005"),
    ("Rajgir", "राजगीर", "Nalanda", BIHAR, "803116"),
    ("Sarnath", "सारनाथ", "Varanasi", UP, "221007"),
    ("Hajipur", "हाजीपुर", "Vaishali", BIHAR, "844101"),
    ("Pindra", "पिंडरा", "Varanasi", UP, "221206"),
    ("Mahua", "महुआ", "Vaishali", BIHAR, "844122"),
    ("Gorakhnath", "गोरखनाथ", "Gorakhpur", UP, "273015"),
    ("Kanti", "कांटी", "Muzaffarpur", BIHAR, "843109"),
    ("Sahjanwa", "सहजनवा", "Gorakhpur", UP, "273209"),
    ("Motipur", "मोतीपुर", "Muzaffarpur", BIHAR, "843111"),
    ("Naini", "नैनी", "Prayagraj", UP, "211008"),
    ("Bettiah", "बेतिया", "West Champaran", BIHAR, "845438"),
    ("Phulpur", "फूलपुर", "Prayagraj", UP, "212402"),
    ("Chhapra", "छपरा", "Saran", BIHAR, "841301"),
    ("Soraon", "सोरांव", "Prayagraj", UP, "212502"),
    ("Siwan", "सीवान", "Siwan", BIHAR, "841226"),
    ("Kidwai Nagar", "किदवई नगर", "Kanpur Nagar", UP, "208011"),
    ("Laheriasarai", "लहेरियासराय", "Darbhanga", BIHAR, "846001"),
    ("Bilhaur", "बिल्हौर", "Kanpur Nagar", UP, "209202"),
    ("Jhanjharpur", "झंझारपुर", "Madhubani", BIHAR, "847404"),
    ("Akbarpur", "अकबरपुर", "Ambedkar Nagar", UP, "224122"),
    ("Barauni", "बरौनी", "Begusarai", BIHAR, "851112"),
    ("Rudauli", "रुदौली", "Ayodhya", UP, "224120"),
    ("Nathnagar", "नाथनगर", "Bhagalpur", BIHAR, "812006"),
    ("Bikapur", "बीकापुर", "Ayodhya", UP, "224204"),
    ("Daudnagar", "दाउदनगर", "Aurangabad", BIHAR, "824113"),
    ("Ghosi", "घोसी", "Mau", UP, "275304"),
    ("Makhdumpur", "मखदुमपुर", "Jehanabad", BIHAR, "804422"),
    ("Mubarakpur", "मुबारकपुर", "Azamgarh", UP, "276404"),
    ("Jagdishpur", "जगदीशपुर", "Bhojpur", BIHAR, "802158"),
    ("Rasra", "रसड़ा", "Ballia", UP, "221712"),
    ("Sasaram", "सासाराम", "Rohtas", BIHAR, "821115"),
    ("Shahganj", "शाहगंज", "Jaunpur", UP, "223863"),
    ("Kasba", "कसबा", "Purnia", BIHAR, "854330"),
    ("Colonelganj", "कर्नलगंज", "Gonda", UP, "271502"),
    ("Kishanganj", "किशनगंज", "Kishanganj", BIHAR, "855107"),
    ("Nanpara", "नानपारा", "Bahraich", UP, "271865"),
    ("Biswan", "बिसवां", "Sitapur", UP, "261201"),
    ("Lalganj", "लालगंज", "Rae Bareli", UP, "229206"),
    ("Amethi", "अमेठी", "Amethi", UP, "227405"),
    ("Salempur", "सलेमपुर", "Deoria", UP, "274509"),
    ("Padrauna", "पडरौना", "Kushinagar", UP, "274304"),
]


def zipf_weights(count: int, exponent: float = 0.9) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(count)]


class Weighted:
    """Draws from a list with Zipf weights (earlier entries commoner)."""

    def __init__(self, items: Sequence[Word], exponent: float = 0.9) -> None:
        self.items = list(items)
        weights = zipf_weights(len(items), exponent)
        total = 0.0
        self.cumulative: list[float] = []
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def draw(self, rng: random.Random) -> Word:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


# --- a generated patient -------------------------------------------------------------------


@dataclass
class Person:
    """A patient to register, with the structure of the name kept for making queries."""

    index: int  # registration order, 0-based
    words: tuple[Word, ...]  # the name's words in order
    given: int  # position of the given name in `words`
    family: int | None  # position of the surname (or Devi/Kumari/Khatoon), if any
    devanagari: bool  # registered in Devanagari (else Latin)
    name: str  # as registered
    registered_words: tuple[str, ...]  # the words of `name`
    latin_spelling: tuple[str, ...]  # the Latin spelling of each word the registrar used
    sex: str
    date_of_birth: datetime.date
    date_of_birth_estimated: bool
    mobile: str
    locality: str
    district: str
    state: str
    pin: str
    guardian_name: str
    guardian_relation: str
    abha_number: str
    muslim: bool
    planted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def demographics(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "sex": self.sex,
            "date_of_birth": self.date_of_birth,
            "date_of_birth_estimated": self.date_of_birth_estimated,
            "mobile": self.mobile,
            "locality": self.locality,
            "district": self.district,
            "state": self.state,
            "pin": self.pin,
            "guardian_name": self.guardian_name,
            "guardian_relation": self.guardian_relation,
            "abha_number": self.abha_number,
        }


_MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


@functools.cache
def valid_mobile_prefixes() -> tuple[str, ...]:
    """Five-digit starts (60000–99999) that `phonenumbers` takes for Indian mobiles.

    The registration form refuses anything else (some 6… and 7… series are fixed lines).
    """
    sample = random.Random(0)
    good = []
    for start in range(60000, 100000):
        numbers = [f"{start}{sample.randint(0, 99_999):05d}" for _ in range(2)]
        parsed = [phonenumbers.parse(number, "IN") for number in numbers]
        if all(
            phonenumbers.is_valid_number(p) and phonenumbers.number_type(p) in _MOBILE_TYPES
            for p in parsed
        ):
            good.append(str(start))
    return tuple(good)


def _age(rng: random.Random) -> int:
    band = rng.random()
    if band < 0.25:
        return rng.randint(0, 14)
    if band < 0.65:
        return rng.randint(15, 40)
    if band < 0.87:
        return rng.randint(41, 60)
    return rng.randint(61, 88)


class Generator:
    """Streams `Person`s in registration order; every choice comes from one seeded RNG."""

    # A quarter of registrations reuse the mobile of a recent registration (family).
    SHARED_MOBILE = 0.25
    NO_MOBILE = 0.07
    HAS_ABHA = 0.15
    MUSLIM = 0.2

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.hindu_men = Weighted(HINDU_MEN)
        self.hindu_women = Weighted(HINDU_WOMEN)
        self.muslim_men = Weighted(MUSLIM_MEN)
        self.muslim_women = Weighted(MUSLIM_WOMEN)
        self.hindu_surnames = Weighted(HINDU_SURNAMES, 1.0)
        self.muslim_surnames = Weighted(MUSLIM_SURNAMES, 1.0)
        self.places = list(PLACES)
        self.place_cumulative = list(itertools.accumulate(zipf_weights(len(PLACES), 0.6)))
        self.prefixes: list[tuple[str, float]] = []
        prefixes = valid_mobile_prefixes()
        # Jio/Airtel-era numbers: more 9s, 8s and 7s than 6s.
        first_weight = {"9": 0.38, "8": 0.26, "7": 0.24, "6": 0.12}
        per_first = {d: sum(1 for p in prefixes if p[0] == d) for d in "6789"}
        self.mobile_prefixes = list(prefixes)
        self.mobile_cumulative = list(
            itertools.accumulate(first_weight[p[0]] / per_first[p[0]] for p in prefixes)
        )
        # Recent mobiles by family surname: relatives often give the same number.
        self.family_mobiles: dict[Word, list[str]] = {}
        self.abha_counter = 0

    # -- pieces --

    def mobile(self, family: Word) -> str:
        rng = self.rng
        if rng.random() < self.NO_MOBILE:
            return ""
        recent = self.family_mobiles.setdefault(family, [])
        if recent and rng.random() < self.SHARED_MOBILE:
            return rng.choice(recent)
        prefix = rng.choices(self.mobile_prefixes, cum_weights=self.mobile_cumulative)[0]
        number = f"{prefix}{rng.randint(0, 99_999):05d}"
        if len(recent) < 200:
            recent.append(number)
        else:
            recent[rng.randrange(200)] = number
        return number

    def abha(self) -> str:
        if self.rng.random() >= self.HAS_ABHA:
            return ""
        self.abha_counter += 1
        # A bijection of the counter onto 12 digits: unique, and not in order.
        body = (self.abha_counter * 738_219_917_123) % 10**12
        return f"91{body:012d}"

    def _names(
        self, sex: str, age: int, muslim: bool
    ) -> tuple[list[Word], int, int | None, Word, str]:
        """Name words, given and family positions, guardian's surname word, relation."""
        rng = self.rng
        if muslim:
            surname = self.muslim_surnames.draw(rng)
            if sex == "M":
                words = [self.muslim_men.draw(rng)]
                if rng.random() < 0.35:
                    words.insert(0, MOHD)
                given = len(words) - 1
                words.append(surname)
                return words, given, len(words) - 1, surname, "father"
            married = age >= 20 and rng.random() < 0.8
            roll = rng.random()
            suffix = (
                KHATOON
                if roll < 0.35
                else BANO
                if roll < 0.45
                else (BEGUM if married else BANO)
                if roll < 0.5
                else PARVEEN
                if roll < 0.6
                else surname
            )
            words = [self.muslim_women.draw(rng), suffix]
            return words, 0, 1, surname, "husband" if married else "father"
        surname = self.hindu_surnames.draw(rng)
        if sex == "M":
            first = self.hindu_men.draw(rng)
            roll = rng.random()
            if age < 15 and roll < 0.3:
                return [first, KUMAR], 0, 1, surname, "father"
            if roll < 0.15 and surname is not KUMAR:
                return [first, KUMAR, surname], 0, 2, surname, "father"
            if roll < 0.22:
                return [first], 0, None, surname, "father"
            return [first, surname], 0, 1, surname, "father"
        first = self.hindu_women.draw(rng)
        married = age >= 20 and rng.random() < 0.8
        roll = rng.random()
        if surname is KUMAR:  # a woman is Devi or Kumari, not Kumar
            roll = 0.0
        if married:
            if roll < 0.55:
                return [first, DEVI], 0, 1, surname, "husband"
            return [first, surname], 0, 1, surname, "husband"
        if roll < 0.5:
            return [first, KUMARI], 0, 1, surname, "father"
        return [first, surname], 0, 1, surname, "father"

    def person(self, index: int) -> Person:
        rng = self.rng
        sex = "F" if rng.random() < 0.52 else "M"  # women are the larger share of OPD visits
        age = _age(rng)
        muslim = rng.random() < self.MUSLIM
        words, given, family, guardian_surname, relation = self._names(sex, age, muslim)
        return self._finish(
            index, words, given, family, sex, age, muslim, guardian_surname, relation
        )

    def planted_person(self, index: int, words: list[Word], sex: str, muslim: bool) -> Person:
        """A patient with a name from the PLANTED tables, registered like any other."""
        rng = self.rng
        age = _age(rng)
        guardian_surname = words[-1]
        relation = "husband" if sex == "F" and age >= 20 else "father"
        person = self._finish(
            index, words, 0, len(words) - 1, sex, age, muslim, guardian_surname, relation
        )
        person.planted = True
        return person

    def _finish(
        self,
        index: int,
        words: list[Word],
        given: int,
        family: int | None,
        sex: str,
        age: int,
        muslim: bool,
        guardian_surname: Word,
        relation: str,
    ) -> Person:
        rng = self.rng
        devanagari = rng.random() < 0.5
        latin = tuple(word.spell_latin(rng) for word in words)
        registered = tuple(word.spell_deva(rng) for word in words) if devanagari else latin
        guardian_first = (self.muslim_men if muslim else self.hindu_men).draw(rng)
        guardian_words = [guardian_first, guardian_surname]
        if devanagari:
            guardian = " ".join(word.deva[0] for word in guardian_words)
        else:
            guardian = " ".join(word.spell_latin(rng) for word in guardian_words)
        place = rng.choices(self.places, cum_weights=self.place_cumulative)[0]
        born = REFERENCE_DAY - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        return Person(
            index=index,
            words=tuple(words),
            given=given,
            family=family,
            devanagari=devanagari,
            name=" ".join(registered),
            registered_words=registered,
            latin_spelling=latin,
            sex=sex,
            date_of_birth=born,
            date_of_birth_estimated=rng.random() < 0.6,
            mobile=self.mobile(guardian_surname),
            locality=place[1] if devanagari else place[0],
            district=place[2],
            state=place[3],
            pin=place[4],
            guardian_name=guardian,
            guardian_relation=relation,
            abha_number=self.abha(),
            muslim=muslim,
        )


def planted_names(count: int, seed: int) -> list[tuple[list[Word], str, bool]]:
    """`count` distinct (name words, sex, muslim) from the PLANTED tables, in a fixed order."""
    combos: list[tuple[list[Word], str, bool]] = []
    for first in PLANTED_HINDU_WOMEN:
        combos += [([first, surname], "F", False) for surname in PLANTED_HINDU_SURNAMES]
    for first in PLANTED_HINDU_MEN:
        combos += [([first, surname], "M", False) for surname in PLANTED_HINDU_SURNAMES]
    for first in PLANTED_MUSLIM_WOMEN:
        combos += [([first, surname], "F", True) for surname in PLANTED_MUSLIM_SURNAMES]
    for first in PLANTED_MUSLIM_MEN:
        combos += [([first, surname], "M", True) for surname in PLANTED_MUSLIM_SURNAMES]
    if count > len(combos):
        raise ValueError(f"at most {len(combos)} planted names")
    random.Random(seed).shuffle(combos)
    return combos[:count]


def generate(count: int, seed: int, planted: int = 0) -> Iterator[Person]:
    """`count` patients in registration order, `planted` of them (spread evenly) with
    names from the PLANTED tables."""
    generator = Generator(seed)
    plant = planted_names(planted, seed) if planted else []
    slots = {int((k + 0.5) * count / len(plant)): k for k in range(len(plant))} if plant else {}
    for index in range(count):
        if index in slots:
            words, sex, muslim = plant[slots[index]]
            yield generator.planted_person(index, words, sex, muslim)
        else:
            yield generator.person(index)


def main_tables() -> list[Word]:
    return [
        *HINDU_MEN,
        *HINDU_WOMEN,
        *MUSLIM_MEN,
        *MUSLIM_WOMEN,
        *HINDU_SURNAMES,
        *MUSLIM_SURNAMES,
        DEVI,
        KUMARI,
        KHATOON,
        BANO,
        BEGUM,
        PARVEEN,
        MOHD,
    ]


def planted_tables() -> list[Word]:
    return [
        *PLANTED_HINDU_WOMEN,
        *PLANTED_HINDU_MEN,
        *PLANTED_HINDU_SURNAMES,
        *PLANTED_MUSLIM_MEN,
        *PLANTED_MUSLIM_WOMEN,
        *PLANTED_MUSLIM_SURNAMES,
    ]
