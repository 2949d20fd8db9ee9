"""Name pools and phrases for the province-scale data (ahtc/demo/scale.py).

Given names and family names are common in Punjab, so that a search for one
of them finds thousands of records, as it would in a real province. Every
person is a random pairing of a given name and a family name, with random
ages and made-up numbers: no combination stands for a real person. Weights
fall off steeply (the first names of each list are by far the most common).
"""

from __future__ import annotations

# (Latin, Urdu); the first entries are drawn most often.
MALE = [
    ("Muhammad", "محمد"),
    ("Ali", "علی"),
    ("Ahmed", "احمد"),
    ("Bilal", "بلال"),
    ("Usman", "عثمان"),
    ("Imran", "عمران"),
    ("Hamza", "حمزہ"),
    ("Asif", "آصف"),
    ("Tariq", "طارق"),
    ("Waqas", "وقاص"),
    ("Zeeshan", "ذیشان"),
    ("Naveed", "نوید"),
    ("Kashif", "کاشف"),
    ("Shahid", "شاہد"),
    ("Adnan", "عدنان"),
    ("Fahad", "فہد"),
    ("Irfan", "عرفان"),
    ("Sajid", "ساجد"),
    ("Khalid", "خالد"),
    ("Faisal", "فیصل"),
]
FEMALE = [
    ("Fatima", "فاطمہ"),
    ("Ayesha", "عائشہ"),
    ("Sana", "ثنا"),
    ("Zainab", "زینب"),
    ("Rubina", "روبینہ"),
    ("Nasreen", "نسرین"),
    ("Shazia", "شازیہ"),
    ("Amna", "آمنہ"),
    ("Kiran", "کرن"),
    ("Hira", "حرا"),
    ("Farzana", "فرزانہ"),
    ("Maryam", "مریم"),
]
FAMILY = [
    ("Khan", "خان"),
    ("Ahmed", "احمد"),
    ("Hussain", "حسین"),
    ("Iqbal", "اقبال"),
    ("Akhtar", "اختر"),
    ("Gondal", "گوندل"),
    ("Butt", "بٹ"),
    ("Malik", "ملک"),
    ("Chaudhry", "چودھری"),
    ("Warraich", "وڑائچ"),
    ("Shah", "شاہ"),
    ("Javed", "جاوید"),
    ("Riaz", "ریاض"),
    ("Aslam", "اسلم"),
    ("Ashraf", "اشرف"),
    ("Rehman", "رحمان"),
    ("Mahmood", "محمود"),
    ("Tarar", "تارڑ"),
    ("Ranjha", "رانجھا"),
    ("Abbas", "عباس"),
    ("Nawaz", "نواز"),
    ("Anwar", "انور"),
]
# Words in made-up agency names ("Crescent Overseas"): they become name
# indicators of the report, like the names of real agencies would.
AGENCY_WORDS = [
    "Crescent",
    "Falcon",
    "Sapphire",
    "Horizon",
    "Golden",
    "Royal",
    "Silver",
    "Summit",
    "Emerald",
    "Skyline",
]
AGENCY_KINDS = ["Overseas", "Visa Consultants", "Travels", "Manpower", "Promoters"]
RELATIONS = ["s/o", "d/o", "w/o"]
ADDRESSES = [
    "Mohalla {n}, near the main bazaar (synthetic)",
    "Village {n}, tehsil road (synthetic)",
    "Street {n}, colony near the bus stand (synthetic)",
    "Brick kiln camp {n} (synthetic)",
]
CASE_TITLES = {
    "fake_agent": "Agent took money for a job abroad ({place})",
    "held_for_ransom": "Migrant held for ransom in {transit}",
    "forced_labour": "Bonded labour at a brick kiln",
    "child_labour": "Children working in a workshop",
    "sexual_exploitation": "Sexual exploitation in a rented house",
    "forced_marriage": "Girl married to settle a debt",
    "forced_begging": "Children made to beg at a crossing",
    "organ_trafficking": "Offer to buy a kidney",
    "missing_abroad": "Migrant missing on the way to {place}",
    "other": "Visit visas advertised with guaranteed work ({place})",
}
FOLLOW_UP_OUTCOMES = [
    "Visited at home; doing well, no contact from the agent.",
    "Spoke by phone; back at work, asked about compensation.",
    "Visited; the family asks for help with school fees.",
    "Could not be reached; neighbours say the family moved.",
]
DELIVERY_OUTCOMES = [
    "Service given as planned.",
    "Enrolled and attending.",
    "Seen by the doctor; treatment completed.",
    "Counselling sessions held.",
]
REJECT_REASONS = ["No place free this month.", "Outside the services we give."]
