"""Name pools for the synthetic people of bench/people_resolution.py (issue 15).

Common Pakistani (mostly Punjabi) names, written out by hand for this
benchmark: they are facts about a population, not data about anyone. Each
pool is in rough order of how common the name is, and a name is drawn with
a Zipf-Mandelbrot weight 1 / (rank + Q) ** S, so the head stays very common
("Ali", "Ahmad", "Hussain" as given names; "Muhammad" in front of many men's
names is drawn apart, `MUHAMMAD_SHARE`) and the tail is long. The shares
this gives are printed by `python bench/people_names.py` and recorded in
docs/people.md.

Urdu script: the most common names are written as they are spelt in Urdu
(`URDU`, with ع ح ص ط and long vowels); the rest are spelt from Latin by
`urdu()`'s rules (long vowels written, short ones not, a final a as heh).
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Sequence


def _pool(text: str) -> list[str]:
    """One name per comma; a name may have two words ("ghulam abbas")."""
    return [name.strip() for name in text.replace("\n", " ").split(",") if name.strip()]


# Men's given names, most common first (about 420).
MALE = _pool("""
ali, ahmad, hussain, hassan, usman, bilal, imran, umar, abdullah, asif, tariq, arshad,
shahid, khalid, zahid, javed, naveed, aslam, akram, iqbal, irfan, kashif, adnan, faisal,
waqas, ijaz, riaz, nadeem, saleem, shakeel, sajid, majid, abid, rashid, bashir, nazir,
yousaf, zafar, sajjad, shafiq, rafiq, munir, nasir, qadir, sohail, kamran, fahad, naeem,
waseem, saeed, rizwan, imtiaz, mumtaz, fayyaz, ashfaq, tanveer, sarfraz, nawaz, amjad,
asghar, akbar, anwar, aftab, mushtaq, ishaq, ishtiaq, mehmood, maqsood, masood, ghulam abbas,
abdul rehman, abdul ghaffar, abdul qadir, abdul majeed, abdul hameed, abdul razzaq,
abdul sattar, abdul jabbar, abdul latif, abdul wahid, ghulam mustafa, ghulam murtaza,
ghulam rasool, ghulam nabi, ghulam qadir, ghulam sarwar, ghulam haider, ghulam farid,
allah ditta, allah rakha, allah bakhsh, khuda bakhsh, nabi bakhsh, ilahi bakhsh, karam din,
siraj din, noor din, fazal din, sher ali, sher khan, zulfiqar, azhar, athar, mazhar,
tahir, zubair, junaid, hamza, haider, abbas, raza, mustafa, murtaza, owais, zeeshan,
danish, fawad, jawad, shehzad, farhan, adeel, aqeel, nabeel, shakil, jameel, kaleem,
naseem, haseeb, mujeeb, habib, shoaib, saqib, wajid, hamid, zahoor, manzoor, nazar,
sarwar, aziz, hafeez, rauf, latif, qasim, hashim, saleh, younas, idrees, ilyas, ismail,
yaqoob, dawood, suleman, ayub, ibrahim, musa, isa, haroon, younis, shaukat, liaquat,
rehmat, barkat, inayat, hidayat, sadaqat, basharat, ishrat, nusrat, ehsan, ahsan,
mohsin, muhsin, mubashir, mudassar, muzammil, muneeb, moeen, naeem ullah, rahmat ullah,
habib ullah, saif ullah, ata ullah, zia ullah, sana ullah, inam ullah, kifayat ullah,
aman ullah, hameed, majeed, waheed, rasheed ahmad, shabbir, akhtar, tauqeer, touseef,
tausif, umair, uzair, waleed, khurram, khuram, asad, arslan, sameer, samiullah, shahbaz,
shahzeb, shehryar, sikandar, taimur, talha, wasif, yasir, yasin, zakir, zeshan, zohaib,
afzal, afzaal, altaf, amanat, amir, aamir, anees, ansar, anjum, arif, arshid, ashraf,
asim, atif, ayaz, azam, babar, baqir, daud, dilawar, ehtisham, fakhar, farooq, faheem,
fareed, farrukh, fiaz, ghazanfar, gulzar, hanif, hasnain, hussnain, iftikhar, ikram, imdad,
intizar, irshad, israr, jahangir, jalal, jamshed, jehanzeb, kamal, kausar, khadim, khizar,
khushi, kifayat, mansoor, maqbool, mehboob, mehtab, mubarak, mukhtar, munawar, murad,
musharraf, nadir, najeeb, nasrullah, nisar, nouman, qaiser, qamar, qurban, rafaqat, rafi,
rahim, ramzan, rashad, rauf ahmad, safdar, sajawal, salamat, sultan, sabir, sadiq, safeer,
saghir, sagheer, saif, sajjid, sami, shafqat, shahnawaz, shamshad, sharif, shaukat ali,
sibtain, sohaib, sufyan, tahseen, tajammal, talat, tanvir, tufail, ubaid, waris, wazir,
yameen, zaheer, zaman, zameer, zarar, zubair ahmad, zulqarnain, adil, ahtisham, akmal,
aleem, amin, arbab, asad ullah, asmat, attique, awais, azeem, bakhtiar, bahadur, dildar,
ejaz, faiz, fazal, gulfam, habibur rehman, hakim, hashmat, hazoor, imam, inam, irtaza,
jafar, jalil, jamil, javaid iqbal, kabir, karamat, khalil, khurshid, lal din, madni, maher,
makhdoom, mashooq, mazhar iqbal, mehar, mir, misbah, mobeen, mudasir, mueen,
mujahid, mumtaz ahmad, munawar hussain, muneer, musawar, nadeem abbas, nafees, naimat,
naqash, nauman, niaz, noman, obaid, pervaiz, qaisar, qudrat, rab nawaz, rafaqat ali, rahat,
rameez, rizwan ali, roshan, sabar, sabeel, sadiq ali, saeed ahmad, sajid ali, salman, samad,
sanaullah, saqlain, shabir, shafi, shah nawaz, shahid iqbal, shakir, shamim, shams, sher zaman,
siddique, sohail akhtar, subhan, tabassum, tanzeel, tariq aziz, umar farooq, waqar, yaseen,
zafar iqbal, zahid iqbal, zia, zulfiqar ali
""")
# Second words that follow a man's given name ("Imran Ali", "Tariq Mehmood").
SECOND = _pool("""
ali, ahmad, hussain, mehmood, iqbal, akhtar, rehman, khan, shah, aslam, rafiq, abbas,
haider, raza, javed, anwar, akram, ashraf, arshad, nawaz, latif, saeed, hanif, sadiq,
farooq, yousaf, asghar, ullah, din, bakhsh
""")
# Women's given names, most common first (about 260).
FEMALE = _pool("""
fatima, ayesha, zainab, maryam, khadija, sadia, shazia, nasreen, parveen, rubina, samina,
shamim, razia, kausar, naseem, bushra, tahira, nazia, asma, sajida, rukhsana, shahnaz,
farzana, robina, nargis, saima, amna, hina, sana, uzma, iram, sidra, mehwish, sobia,
rabia, aqsa, iqra, anam, nadia, saba, faiza, lubna, shabana, yasmin, naheed, zahida,
abida, majida, shamshad, bilqees, jamila, naseema, rashida, zubaida, hajra, sughra, kubra,
sakina, zohra, safia, haleema, rehana, zarina, sultana, mumtaz, ghazala, nighat, tasneem,
tahmina, kishwar, munawar, riffat, shagufta, shaista, shireen, sumaira, sumbal, sameena,
tabassum, tanzeela, tayyaba, noreen, nusrat, musarrat, ishrat, irshad, khalida, khursheed,
maqsooda, mussarat, nasim akhtar, kaneez fatima, ghulam fatima, ghulam zohra, allah rakhi,
allah wasai, mai bhagan, mai jeevan, bibi jan, gul bano, noor jahan, noor bano, zaib un nisa,
khair un nisa, mehr un nisa, qamar un nisa, aasia, afshan, afroz, ambreen, amina, anila,
aniqa, arooj, asiya, atiya, attia, azra, benazir, bisma, dua, erum, farah, fareeda, fouzia,
fozia, gulnaz, gulshan, hafsa, hameeda, humaira, huma, ismat, javeria, kalsoom, kiran,
kulsoom, laiba, madiha, mahnoor, maimoona, mariam, misbah, momina, muneeba, nabila, nafeesa,
naila, najma, nasira, nazish, neelam, nida, noor, nosheen, rafia, rahila, rameen, rashda,
rizwana, roshan, ruqia, saadia, sabiha, sabira, sadaf, safina, sahar, saira, sajda, salma,
samra, saniya, shabnam, shagufta naz, shahida, shamaila, sharifa, shehla, sofia, sughran,
sumera, surraya, suraiya, tahseen, talat, tehmina, ulfat, umme kulsoom, umme habiba, warda,
yasmeen, zakia, zareena, zeenat, zobia, zoya, zubia, zunaira, aliya, anjum, asifa, basra,
fehmida, gulzar bibi, hanifa, iffat, jannat, kanwal, khalida parveen, maham, mehnaz, mussarrat,
nagina, najia, naz, noshaba, parveen akhtar, qudsia, rabiya, rasheeda, saeeda, safeena,
salima, sanam, sara, shakeela, shamim akhtar, sitara, tasleem, zahra, zeb, zeba, zulekha
""")
# Caste, clan and family names (about 120), most common first.
CASTES = _pool("""
jatt, arain, rajput, awan, gujjar, sheikh, butt, malik, syed, qureshi, ansari, mughal,
khan, bhatti, cheema, warraich, bajwa, gondal, tarar, chatha, virk, sandhu, ranjha, sahi,
goraya, ghuman, dogar, khokhar, kharal, sial, sipra, tiwana, hanjra, kahloon, rana, raja,
mirza, niazi, abbasi, kashmiri, chauhan, janjua, minhas, kamboh, dhillon, bhutta, joiya,
wattoo, lodhi, mayo, kalyar, tatla, sindhu, randhawa, sulehria, hinjra, wains, waseer,
mangat, dhudhi, noon, daha, langah, baloch, gilani, bukhari, hashmi, naqvi, jafri,
kazmi, rizvi, zaidi, pirzada, chishti, farooqi, siddiqui, usmani, alvi, hashmani,
lak, maan, toor, wahla, dhotar, bosal, harral, marral, nonari, khichi, jappa, kang,
kathia, thaheem, bharwana, sargana, sahu, mekan, bhidwal, chadhar, lali, targar,
sohal, kalru, dhakku, kahut, khatana, kasana, chechi, poswal, phambra, thathaal,
saroya, athwal, deo
""")
HONORIFICS = ["Ch.", "Chaudhry", "Malik", "Rana", "Hafiz", "Haji", "Mian", "Mst."]

# Spelling variants a clerk may use instead (the first spelling is the pool's).
VARIANTS = {
    "muhammad": ["Mohammad", "Muhammed", "Mohd", "M.", "Mohammed"],
    "ahmad": ["Ahmed"],
    "aslam": ["Asalam"],
    "hussain": ["Husain", "Hussein"],
    "hassan": ["Hasan"],
    "rehman": ["Rahman"],
    "yousaf": ["Yousuf", "Yusuf"],
    "usman": ["Osman"],
    "umar": ["Omar", "Umer"],
    "javed": ["Javaid"],
    "shehzad": ["Shahzad"],
    "tariq": ["Tarik"],
    "rashid": ["Rasheed"],
    "bashir": ["Basheer"],
    "nazir": ["Nazeer"],
    "iqbal": ["Ikbal"],
    "mehmood": ["Mahmood", "Mehmud"],
    "waseem": ["Wasim"],
    "naeem": ["Naim"],
    "saleem": ["Salim"],
    "shakeel": ["Shakil"],
    "jameel": ["Jamil"],
    "zubair": ["Zubiar", "Zubeir"],
    "fatima": ["Fatma", "Fatimah"],
    "ayesha": ["Aisha", "Aysha"],
    "zainab": ["Zenab"],
    "khadija": ["Khadeeja"],
    "nasreen": ["Nasrin"],
    "parveen": ["Perveen", "Parvin"],
    "rubina": ["Robina"],
    "yasmin": ["Yasmeen"],
    "kausar": ["Kosar", "Kausar"],
    "haider": ["Hyder"],
    "younas": ["Younis", "Yunus"],
    "ishaq": ["Ishak"],
    "qadir": ["Kadir", "Qadeer"],
}

# The most common names as Urdu writes them.
URDU = {
    "muhammad": "محمد", "ali": "علی", "ahmad": "احمد", "hussain": "حسین", "hassan": "حسن",
    "usman": "عثمان", "bilal": "بلال", "imran": "عمران", "umar": "عمر", "abdullah": "عبداللہ",
    "asif": "آصف", "tariq": "طارق", "arshad": "ارشد", "shahid": "شاہد", "khalid": "خالد",
    "zahid": "زاہد", "javed": "جاوید", "naveed": "نوید", "aslam": "اسلم", "akram": "اکرم",
    "iqbal": "اقبال", "irfan": "عرفان", "abdul": "عبدال", "rehman": "رحمان", "ghulam": "غلام",
    "mehmood": "محمود", "akhtar": "اختر", "abbas": "عباس", "haider": "حیدر", "raza": "رضا",
    "fatima": "فاطمہ", "ayesha": "عائشہ", "zainab": "زینب", "maryam": "مریم",
    "khadija": "خدیجہ", "bibi": "بی بی", "begum": "بیگم", "ullah": "اللہ", "allah": "اللہ",
    "nazir": "نذیر", "bashir": "بشیر", "rashid": "راشد", "saeed": "سعید", "hafeez": "حفیظ",
    "khan": "خان", "shah": "شاہ", "mai": "مائی", "abid": "عابد", "tahir": "طاہر",
    "zaheer": "ظہیر", "zahoor": "ظہور", "saleh": "صالح", "farah": "فرح", "misbah": "مصباح",
    "zahra": "زہرہ", "sabiha": "صبیحہ", "madiha": "مدیحہ", "sahar": "سحر", "tahseen": "تحسین",
}  # fmt: skip
_URDU_PAIRS = {
    "sh": "ش", "kh": "خ", "gh": "غ", "ch": "چ", "th": "تھ", "ph": "پھ", "bh": "بھ",
    "dh": "دھ", "jh": "جھ", "zh": "ژ", "aa": "ا", "ee": "ی", "oo": "و", "ai": "ai", "au": "au",
}  # fmt: skip
_URDU_LETTERS = {
    "b": "ب", "p": "پ", "t": "ت", "j": "ج", "h": "ہ", "d": "د", "r": "ر", "z": "ز", "s": "س",
    "f": "ف", "q": "ق", "k": "ک", "g": "گ", "l": "ل", "m": "م", "n": "ن", "w": "و", "v": "و",
    "y": "ی", "c": "ک", "x": "کس",
}  # fmt: skip


def _urdu_word(word: str) -> str:
    """A Latin name spelt in Urdu by rule: consonants by sound; a first
    vowel as alif; long vowels (aa, ee, oo, o, e, ai, au) written as alif,
    yeh or wao; short a, i, u not written; a final a or i as heh or yeh, a
    final h as hay."""
    if word in URDU:
        return URDU[word]
    out, i = [], 0
    while i < len(word):
        pair, char = word[i : i + 2], word[i]
        if i == 0 and char in "aeiou":
            out.append("آ" if pair == "aa" else "ا")
            i += 2 if pair == "aa" else 1
        elif pair in _URDU_PAIRS and pair not in ("ai", "au"):
            out.append(_URDU_PAIRS[pair])
            i += 2
        elif char in "oe" or pair in ("ai", "au"):
            out.append("و" if char == "o" or pair == "au" else "ی")
            i += 2 if pair in ("ai", "au") else 1
        elif char == "h" and i == len(word) - 1 and word[i - 1 : i] in ("a", "e"):
            out.append("ح")  # Farah, Misbah, Saleh: a final h is mostly hay
            i += 1
        elif char in "aiu":
            last = i == len(word) - 1
            out.append(("ہ" if char == "a" else "ی") if last and char != "u" else "")
            i += 1
        else:
            out.append(_URDU_LETTERS.get(char, ""))
            i += 1
    return "".join(out)


def urdu(words: Sequence[str]) -> str:
    """Latin name words (lower case) in Urdu script."""
    return " ".join(_urdu_word(w.lower()) for w in words)


class Pool:
    """Names with Zipf-Mandelbrot weights, drawn by a seeded random source."""

    def __init__(self, names: Sequence[str], *, q: float = 6.0, s: float = 1.05) -> None:
        self.names = list(names)
        weights = [1 / (rank + q) ** s for rank in range(1, len(names) + 1)]
        self.cumulative = list(itertools.accumulate(weights))

    def draw(self, rng: random.Random) -> str:
        point = rng.random() * self.cumulative[-1]
        return self.names[bisect.bisect_right(self.cumulative, point)]

    def share(self, rank: int = 0) -> float:
        previous = self.cumulative[rank - 1] if rank else 0.0
        return (self.cumulative[rank] - previous) / self.cumulative[-1]


MEN, WOMEN = Pool(MALE), Pool(FEMALE)
SECONDS, CASTE_POOL = Pool(SECOND, q=2.0), Pool(CASTES, q=4.0)
# "Muhammad" is written in front of many men's names (and often dropped).
MUHAMMAD_SHARE = 0.45
SECOND_SHARE = 0.35  # a man's given name with a second word ("Imran Ali")


def man(rng: random.Random) -> list[str]:
    """A man's full given name as words: [muhammad], name, [second word]."""
    words = MEN.draw(rng).split()
    if len(words) == 1 and rng.random() < SECOND_SHARE:
        second = SECONDS.draw(rng)
        words += [second] if second != words[0] else []
    if words[0] not in ("ghulam", "abdul", "allah") and rng.random() < MUHAMMAD_SHARE:
        words = ["muhammad", *words]
    return words


def woman(rng: random.Random) -> list[str]:
    """A woman's given name as words, sometimes with Bibi or Begum after it."""
    words = WOMEN.draw(rng).split()
    roll = rng.random()
    return [*words, "bibi"] if roll < 0.15 else [*words, "begum"] if roll < 0.2 else words


def _summary() -> None:
    print(f"men's names {len(MALE)}, second words {len(SECOND)}, women's names {len(FEMALE)},")
    print(f"castes {len(CASTES)}; duplicates: {len(MALE) - len(set(MALE))} men's")
    for label, pool in (("men", MEN), ("women", WOMEN), ("castes", CASTE_POOL)):
        top = ", ".join(f"{pool.names[r]} {pool.share(r):.1%}" for r in range(3))
        print(f"{label}: {top}; top 10 {sum(pool.share(r) for r in range(10)):.0%}")


if __name__ == "__main__":
    _summary()
