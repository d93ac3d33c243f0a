# ruff: noqa: E501, E741 - the formulary is a table, one medicine per line; "O" is the list's name
"""The starter formulary: common generic medicines of a UP/Bihar OPD, with their form,
strength, Drugs and Cosmetics Rules schedule and Telemedicine Practice Guidelines list.

Source. Built from the National List of Essential Medicines 2022 (Ministry of Health and
Family Welfare, Government of India: the medicines, dosage forms and strengths of its
primary-care level) and the generics most often written in Indian general OPDs
(aceclofenac, levocetirizine, montelukast, pantoprazole, telmisartan, glimepiride are
not all in the NLEM but are written daily). Schedules follow the Drugs and Cosmetics
Rules 1945 (Schedule H, H1 as notified by GSR 588(E) of 30 Aug 2013, X) and the NDPS Act
1985 for narcotic and psychotropic substances; telemedicine lists follow Annexure 1 of
the Telemedicine Practice Guidelines 2020 (O, A, B, prohibited). Maximum doses are
adult limits from the usual product information, used only to warn, never to refuse;
mg/kg doses are the usual paediatric single doses. A clinic reviews this list before
relying on it, and adds its own medicines (see `ClinicDrug`).

Entries marked `verify=True` carry a schedule or limit the compiler could not confirm
from a primary text; the prescription screen shows them like any other.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal


class Schedule:
    OTC = "OTC"
    H = "H"
    H1 = "H1"
    X = "X"


class TeleList:
    O = "O"  # noqa: E741 - the list is called "O" in the guidelines
    A = "A"
    B = "B"
    PROHIBITED = "prohibited"


# Dosage forms: the word printed before the generic name, the unit a dose is counted in,
# and how the total quantity is worked out (count of units, or packs for the rest).
FORMS: dict[str, tuple[str, str, str]] = {
    # form: (printed prefix, unit (en), unit (hi))
    "tablet": ("TAB.", "tab", "गोली"),
    "capsule": ("CAP.", "cap", "कैप्सूल"),
    "syrup": ("SYP.", "ml", "ml"),
    "suspension": ("SUSP.", "ml", "ml"),
    "drops": ("DROPS", "drop", "बूँद"),
    "eye drops": ("EYE DROPS", "drop", "बूँद"),
    "inhaler": ("INH.", "puff", "पफ़"),
    "sachet": ("SACHET", "sachet", "पाउच"),
    "cream": ("CREAM", "application", "बार लगाएँ"),
    "ointment": ("OINT.", "application", "बार लगाएँ"),
    "lotion": ("LOTION", "application", "बार लगाएँ"),
    "injection": ("INJ.", "dose", "खुराक"),
}
COUNTED_FORMS = frozenset({"tablet", "capsule", "sachet"})
LIQUID_FORMS = frozenset({"syrup", "suspension"})


@dataclass(frozen=True)
class FormularyDrug:
    code: str
    generic: str
    form: str
    strength: str
    # mg in one tablet/capsule/sachet, or in 5 ml of a liquid; None for topicals.
    strength_mg: Decimal | None = None
    classes: frozenset[str] = field(default_factory=frozenset)
    schedule: str = Schedule.H
    ndps: bool = False
    telemedicine: str = TeleList.A
    max_dose_mg: Decimal | None = None
    max_daily_mg: Decimal | None = None
    mg_per_kg_dose: Decimal | None = None
    pack_ml: int | None = None
    route: str = "oral"
    verify: bool = False

    @property
    def label(self) -> str:
        return f"{self.generic} {self.strength} {self.form}"

    @property
    def prohibited_on_teleconsultation(self) -> bool:
        return self.ndps or self.schedule == Schedule.X or self.telemedicine == TeleList.PROHIBITED


def _d(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _drug(
    code: str,
    generic: str,
    form: str,
    strength: str,
    mg: str | None,
    classes: str,
    schedule: str,
    tele: str,
    max_dose: str | None = None,
    max_daily: str | None = None,
    per_kg: str | None = None,
    *,
    ndps: bool = False,
    pack_ml: int | None = None,
    route: str = "oral",
    verify: bool = False,
) -> FormularyDrug:
    return FormularyDrug(
        code=code,
        generic=generic,
        form=form,
        strength=strength,
        strength_mg=_d(mg),
        classes=frozenset(c for c in classes.split(",") if c),
        schedule=schedule,
        ndps=ndps,
        telemedicine=tele,
        max_dose_mg=_d(max_dose),
        max_daily_mg=_d(max_daily),
        mg_per_kg_dose=_d(per_kg),
        pack_ml=pack_ml,
        route=route,
        verify=verify,
    )


H, H1, OTC, X = Schedule.H, Schedule.H1, Schedule.OTC, Schedule.X
O, A, B, P = TeleList.O, TeleList.A, TeleList.B, TeleList.PROHIBITED

STARTER: tuple[FormularyDrug, ...] = (
    # Fever and pain
    _drug(
        "PCM500",
        "Paracetamol",
        "tablet",
        "500 mg",
        "500",
        "analgesic,paracetamol",
        OTC,
        O,
        "1000",
        "4000",
        "15",
    ),
    _drug(
        "PCM650",
        "Paracetamol",
        "tablet",
        "650 mg",
        "650",
        "analgesic,paracetamol",
        OTC,
        O,
        "1000",
        "4000",
        "15",
    ),
    _drug(
        "PCMS250",
        "Paracetamol",
        "suspension",
        "250 mg/5 ml",
        "250",
        "analgesic,paracetamol",
        OTC,
        O,
        "1000",
        "4000",
        "15",
        pack_ml=60,
    ),
    _drug(
        "PCMS125",
        "Paracetamol",
        "syrup",
        "125 mg/5 ml",
        "125",
        "analgesic,paracetamol",
        OTC,
        O,
        "1000",
        "4000",
        "15",
        pack_ml=60,
    ),
    _drug("IBU400", "Ibuprofen", "tablet", "400 mg", "400", "nsaid", H, A, "800", "2400", "10"),
    _drug(
        "IBUS100",
        "Ibuprofen",
        "suspension",
        "100 mg/5 ml",
        "100",
        "nsaid",
        H,
        A,
        "800",
        "2400",
        "10",
        pack_ml=60,
    ),
    _drug("DIC50", "Diclofenac", "tablet", "50 mg", "50", "nsaid", H, A, "75", "150"),
    _drug("ACE100", "Aceclofenac", "tablet", "100 mg", "100", "nsaid", H, A, "100", "200"),
    _drug("ASP75", "Aspirin", "tablet", "75 mg", "75", "nsaid,antiplatelet", OTC, B, "325", "325"),
    # Antibiotics
    _drug(
        "AMX500",
        "Amoxicillin",
        "capsule",
        "500 mg",
        "500",
        "penicillin,beta-lactam",
        H,
        A,
        "1000",
        "3000",
        "25",
    ),
    _drug(
        "AMXS125",
        "Amoxicillin",
        "syrup",
        "125 mg/5 ml",
        "125",
        "penicillin,beta-lactam",
        H,
        A,
        "1000",
        "3000",
        "25",
        pack_ml=60,
    ),
    _drug(
        "AMC625",
        "Amoxicillin + Clavulanic acid",
        "tablet",
        "500 mg + 125 mg",
        "500",
        "penicillin,beta-lactam",
        H,
        A,
        "1000",
        "3000",
        "25",
    ),
    _drug(
        "CLX500",
        "Cloxacillin",
        "capsule",
        "500 mg",
        "500",
        "penicillin,beta-lactam",
        H,
        A,
        "1000",
        "4000",
    ),
    _drug(
        "CPX500",
        "Cephalexin",
        "capsule",
        "500 mg",
        "500",
        "cephalosporin,beta-lactam",
        H,
        A,
        "1000",
        "4000",
        "25",
    ),
    _drug(
        "CFX200",
        "Cefixime",
        "tablet",
        "200 mg",
        "200",
        "cephalosporin,beta-lactam",
        H1,
        A,
        "400",
        "400",
        "4",
    ),
    _drug(
        "CFXS50",
        "Cefixime",
        "suspension",
        "50 mg/5 ml",
        "50",
        "cephalosporin,beta-lactam",
        H1,
        A,
        "400",
        "400",
        "4",
        pack_ml=30,
    ),
    _drug(
        "AZI500", "Azithromycin", "tablet", "500 mg", "500", "macrolide", H, A, "500", "500", "10"
    ),
    _drug(
        "AZIS200",
        "Azithromycin",
        "suspension",
        "200 mg/5 ml",
        "200",
        "macrolide",
        H,
        A,
        "500",
        "500",
        "10",
        pack_ml=15,
    ),
    _drug(
        "CIP500", "Ciprofloxacin", "tablet", "500 mg", "500", "fluoroquinolone", H, A, "750", "1500"
    ),
    _drug(
        "LVF500", "Levofloxacin", "tablet", "500 mg", "500", "fluoroquinolone", H1, A, "750", "750"
    ),
    _drug("DOX100", "Doxycycline", "capsule", "100 mg", "100", "tetracycline", H, A, "200", "200"),
    _drug(
        "MTZ400",
        "Metronidazole",
        "tablet",
        "400 mg",
        "400",
        "nitroimidazole",
        H,
        A,
        "2000",
        "2400",
        "10",
    ),
    _drug("NFT100", "Nitrofurantoin", "capsule", "100 mg", "100", "nitrofuran", H, A, "100", "400"),
    _drug(
        "CTX960",
        "Cotrimoxazole",
        "tablet",
        "800 mg + 160 mg",
        "960",
        "sulfonamide",
        H,
        A,
        "1920",
        "3840",
    ),
    # Allergy and respiratory
    _drug("CTZ10", "Cetirizine", "tablet", "10 mg", "10", "antihistamine", OTC, O, "10", "20"),
    _drug("LCZ5", "Levocetirizine", "tablet", "5 mg", "5", "antihistamine", OTC, O, "5", "10"),
    _drug("CPM4", "Chlorpheniramine", "tablet", "4 mg", "4", "antihistamine", OTC, O, "4", "24"),
    _drug(
        "MON10", "Montelukast", "tablet", "10 mg", "10", "leukotriene antagonist", H, A, "10", "10"
    ),
    _drug(
        "SAL100",
        "Salbutamol",
        "inhaler",
        "100 mcg/puff",
        None,
        "beta-agonist",
        H,
        A,
        route="inhaled",
    ),
    _drug(
        "BUD200",
        "Budesonide",
        "inhaler",
        "200 mcg/puff",
        None,
        "corticosteroid",
        H,
        A,
        route="inhaled",
    ),
    # Stomach and gut
    _drug("PAN40", "Pantoprazole", "tablet", "40 mg", "40", "ppi", H, A, "40", "80"),
    _drug("OME20", "Omeprazole", "capsule", "20 mg", "20", "ppi", H, A, "40", "80"),
    _drug("FAM20", "Famotidine", "tablet", "20 mg", "20", "h2 blocker", H, A, "40", "80"),
    _drug("OND4", "Ondansetron", "tablet", "4 mg", "4", "antiemetic", H, A, "8", "24", "0.15"),
    _drug("DOM10", "Domperidone", "tablet", "10 mg", "10", "antiemetic", H, A, "10", "30"),
    _drug(
        "ANT",
        "Aluminium hydroxide + Magnesium hydroxide",
        "suspension",
        "250 mg + 250 mg/5 ml",
        None,
        "antacid",
        OTC,
        O,
        pack_ml=170,
    ),
    _drug("ORS", "Oral rehydration salts (WHO)", "sachet", "20.5 g/1 litre", None, "ors", OTC, O),
    _drug("ZNC20", "Zinc sulphate", "tablet", "20 mg", "20", "zinc", OTC, O, "20", "20"),
    _drug("DCY10", "Dicyclomine", "tablet", "10 mg", "10", "antispasmodic", H, A, "20", "80"),
    _drug("ALB400", "Albendazole", "tablet", "400 mg", "400", "anthelmintic", OTC, O, "400", "800"),
    # Blood pressure, sugar, lipids
    _drug("AML5", "Amlodipine", "tablet", "5 mg", "5", "calcium channel blocker", H, B, "10", "10"),
    _drug("TEL40", "Telmisartan", "tablet", "40 mg", "40", "arb", H, B, "80", "80"),
    _drug("LOS50", "Losartan", "tablet", "50 mg", "50", "arb", H, B, "100", "100"),
    _drug("ATN50", "Atenolol", "tablet", "50 mg", "50", "beta-blocker", H, B, "100", "100"),
    _drug(
        "HCT12", "Hydrochlorothiazide", "tablet", "12.5 mg", "12.5", "thiazide", H, B, "50", "50"
    ),
    _drug("MET500", "Metformin", "tablet", "500 mg", "500", "biguanide", H, B, "1000", "2550"),
    _drug("GLM1", "Glimepiride", "tablet", "1 mg", "1", "sulfonylurea", H, B, "8", "8"),
    _drug("ATV10", "Atorvastatin", "tablet", "10 mg", "10", "statin", H, B, "80", "80"),
    # Vitamins, minerals, steroids, skin, eyes
    _drug(
        "FEF", "Ferrous sulphate + Folic acid", "tablet", "100 mg + 0.5 mg", None, "iron", OTC, O
    ),
    _drug("FOL5", "Folic acid", "tablet", "5 mg", "5", "vitamin", OTC, O),
    _drug(
        "CAD3",
        "Calcium carbonate + Vitamin D3",
        "tablet",
        "500 mg + 250 IU",
        None,
        "calcium",
        OTC,
        O,
    ),
    _drug("VD60K", "Cholecalciferol", "capsule", "60,000 IU", None, "vitamin d", OTC, O),
    _drug(
        "PRD10", "Prednisolone", "tablet", "10 mg", "10", "corticosteroid", H, A, "60", "60", "1"
    ),
    _drug(
        "FLU150", "Fluconazole", "tablet", "150 mg", "150", "azole antifungal", H, A, "400", "400"
    ),
    _drug("CLO1", "Clotrimazole", "cream", "1%", None, "azole antifungal", OTC, A, route="topical"),
    _drug("PER5", "Permethrin", "cream", "5%", None, "scabicide", OTC, A, route="topical"),
    _drug("CPXE", "Ciprofloxacin", "eye drops", "0.3%", None, "fluoroquinolone", H, A, route="eye"),
    # Controlled: Schedule H1 and NDPS Act psychotropics/narcotics (never on teleconsultation)
    _drug(
        "ALP025",
        "Alprazolam",
        "tablet",
        "0.25 mg",
        "0.25",
        "benzodiazepine",
        H1,
        P,
        "1",
        "4",
        ndps=True,
    ),
    _drug("DZP5", "Diazepam", "tablet", "5 mg", "5", "benzodiazepine", H, P, "10", "30", ndps=True),
    _drug(
        "CLZ05",
        "Clonazepam",
        "tablet",
        "0.5 mg",
        "0.5",
        "benzodiazepine",
        H1,
        P,
        "2",
        "6",
        ndps=True,
        verify=True,
    ),
    _drug("TRM50", "Tramadol", "tablet", "50 mg", "50", "opioid", H1, P, "100", "400", ndps=True),
    _drug(
        "ZOL10",
        "Zolpidem",
        "tablet",
        "10 mg",
        "10",
        "hypnotic",
        H1,
        P,
        "10",
        "10",
        ndps=True,
        verify=True,
    ),
    _drug(
        "MPH10",
        "Methylphenidate",
        "tablet",
        "10 mg",
        "10",
        "stimulant",
        X,
        P,
        "20",
        "60",
        ndps=True,
        verify=True,
    ),
)

# An allergy written as a class or a common word matches these drug classes (a
# "penicillin allergy" warns on amoxicillin; "sulfa" on cotrimoxazole).
ALLERGY_CLASS_WORDS: dict[str, frozenset[str]] = {
    "penicillin": frozenset({"penicillin"}),
    "penicillins": frozenset({"penicillin"}),
    "beta-lactam": frozenset({"beta-lactam"}),
    "beta lactam": frozenset({"beta-lactam"}),
    "cephalosporin": frozenset({"cephalosporin"}),
    "cephalosporins": frozenset({"cephalosporin"}),
    "sulfa": frozenset({"sulfonamide"}),
    "sulpha": frozenset({"sulfonamide"}),
    "sulfonamide": frozenset({"sulfonamide"}),
    "nsaid": frozenset({"nsaid"}),
    "nsaids": frozenset({"nsaid"}),
    "aspirin": frozenset({"nsaid"}),
    "quinolone": frozenset({"fluoroquinolone"}),
    "fluoroquinolone": frozenset({"fluoroquinolone"}),
    "macrolide": frozenset({"macrolide"}),
    "tetracycline": frozenset({"tetracycline"}),
    "benzodiazepine": frozenset({"benzodiazepine"}),
    "opioid": frozenset({"opioid"}),
    "statin": frozenset({"statin"}),
}
# Classes too broad to call a "duplicate" when two lines share them.
NOT_DUPLICATE_CLASSES = frozenset({"beta-lactam", "analgesic", "vitamin"})


@functools.cache
def by_code() -> dict[str, FormularyDrug]:
    return {drug.code: drug for drug in STARTER}


def find(code: str) -> FormularyDrug | None:
    return by_code().get(code.strip().upper())


def search(query: str, limit: int = 12) -> list[FormularyDrug]:
    """Drugs whose generic name (or code) starts with, then contains, every typed word."""
    words = query.lower().split()
    if not words:
        return []
    starts: list[FormularyDrug] = []
    contains: list[FormularyDrug] = []
    for drug in STARTER:
        name = f"{drug.generic} {drug.strength} {drug.form}".lower()
        if not all(w in name or drug.code.lower().startswith(w) for w in words):
            continue
        (starts if drug.generic.lower().startswith(words[0]) else contains).append(drug)
    return (starts + contains)[:limit]
