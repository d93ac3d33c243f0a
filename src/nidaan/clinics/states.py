"""Indian states and union territories, keyed by their two-digit GST state code.

The code is the first two characters of a GSTIN, the place-of-supply code in GST
returns, and what the address forms store.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    JAMMU_KASHMIR = "01", _("Jammu and Kashmir")
    HIMACHAL_PRADESH = "02", _("Himachal Pradesh")
    PUNJAB = "03", _("Punjab")
    CHANDIGARH = "04", _("Chandigarh")
    UTTARAKHAND = "05", _("Uttarakhand")
    HARYANA = "06", _("Haryana")
    DELHI = "07", _("Delhi")
    RAJASTHAN = "08", _("Rajasthan")
    UTTAR_PRADESH = "09", _("Uttar Pradesh")
    BIHAR = "10", _("Bihar")
    SIKKIM = "11", _("Sikkim")
    ARUNACHAL_PRADESH = "12", _("Arunachal Pradesh")
    NAGALAND = "13", _("Nagaland")
    MANIPUR = "14", _("Manipur")
    MIZORAM = "15", _("Mizoram")
    TRIPURA = "16", _("Tripura")
    MEGHALAYA = "17", _("Meghalaya")
    ASSAM = "18", _("Assam")
    WEST_BENGAL = "19", _("West Bengal")
    JHARKHAND = "20", _("Jharkhand")
    ODISHA = "21", _("Odisha")
    CHHATTISGARH = "22", _("Chhattisgarh")
    MADHYA_PRADESH = "23", _("Madhya Pradesh")
    GUJARAT = "24", _("Gujarat")
    DNH_DD = "26", _("Dadra and Nagar Haveli and Daman and Diu")
    MAHARASHTRA = "27", _("Maharashtra")
    KARNATAKA = "29", _("Karnataka")
    GOA = "30", _("Goa")
    LAKSHADWEEP = "31", _("Lakshadweep")
    KERALA = "32", _("Kerala")
    TAMIL_NADU = "33", _("Tamil Nadu")
    PUDUCHERRY = "34", _("Puducherry")
    ANDAMAN_NICOBAR = "35", _("Andaman and Nicobar Islands")
    TELANGANA = "36", _("Telangana")
    ANDHRA_PRADESH = "37", _("Andhra Pradesh")
    LADAKH = "38", _("Ladakh")
