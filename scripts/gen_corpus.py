#!/usr/bin/env python3
"""Generate a deterministic synthetic corpus of news articles about technology partnerships.

Every document is a ~2 KB English article in the plain-text format techties reads:

    Title: <headline>
    URL: https://<outlet-domain>/<yyyy>/<mm>/<slug>
    Date: YYYY-MM-DD

    <paragraph>

    <paragraph>

Articles are assembled from hand-written parts: organisations from Russia, China, the US,
the EU, India, Japan, Korea, Israel and the Gulf (real large names and invented ones), cities,
twelve technology domains, ten kinds of partnership sentence (1-3 per article) and filler
sentences (market context, quotes from named spokespeople, background). A fraction of the
documents are exact copies of an earlier document (--dup-rate) and a fraction are syndicated
near-duplicates (--syndicated-rate): the same body under another outlet's header, with a
changed title line and one sentence appended. Both counts are exact (rate x count, rounded),
at random positions. Everything is fictional.

Files go to DIR/0000/000000.txt, DIR/0000/000001.txt, ... (--shard-size files per folder).
Existing files with the same names are overwritten. Output depends only on the arguments
(random.Random(seed) is the only source of randomness), so two runs give identical bytes.

    python3 scripts/gen_corpus.py --out /tmp/corpus                 # 100,000 documents
    python3 scripts/gen_corpus.py --out /tmp/small --count 2000 --seed 7

--manifest FILE (optional) writes one JSON line per document: file, kind (original /
duplicate / syndicated), source file for copies, and the partnerships of originals.
Keep it outside DIR, since techties would read a .jsonl file there as documents.

Standard library only (Python 3.8+).
"""

import argparse
import datetime
import json
import os
import random
import re
import sys
import time

# ---------------------------------------------------------------------------
# Hand-written material
# ---------------------------------------------------------------------------

# country: (demonym, cities)
COUNTRIES = {
    "Russia": ("Russian", ["Moscow", "St. Petersburg", "Kazan", "Novosibirsk", "Tomsk"]),
    "China": ("Chinese", ["Beijing", "Shanghai", "Shenzhen", "Wuhan", "Chengdu"]),
    "the United States": ("American", ["Boston", "San Jose", "Austin", "Seattle"]),
    "Germany": ("German", ["Munich", "Berlin", "Dresden"]),
    "France": ("French", ["Paris", "Toulouse", "Grenoble"]),
    "Italy": ("Italian", ["Milan", "Turin"]),
    "the Netherlands": ("Dutch", ["Eindhoven", "Delft"]),
    "Finland": ("Finnish", ["Helsinki", "Espoo"]),
    "Estonia": ("Estonian", ["Tallinn"]),
    "India": ("Indian", ["Bengaluru", "Hyderabad", "Pune", "Mumbai"]),
    "Japan": ("Japanese", ["Tokyo", "Osaka", "Tsukuba"]),
    "South Korea": ("South Korean", ["Seoul", "Daejeon", "Suwon"]),
    "Israel": ("Israeli", ["Tel Aviv", "Haifa", "Rehovot"]),
    "the United Arab Emirates": ("Emirati", ["Abu Dhabi", "Dubai"]),
    "Saudi Arabia": ("Saudi", ["Riyadh", "Dhahran"]),
    "Qatar": ("Qatari", ["Doha"]),
}
COUNTRY_NAMES = list(COUNTRIES)
ALL_CITIES = [(c, k) for k in COUNTRY_NAMES for c in COUNTRIES[k][1]]

# (full name, short name, country, home city, type, introduction used on first mention)
# type: co = company, uni = university or research institute, gov = agency or foundation,
#       fund = investment fund
ORGS = [
    ("Rosatom", "Rosatom", "Russia", "Moscow", "gov", "Russia's state nuclear corporation Rosatom"),
    ("Roscosmos", "Roscosmos", "Russia", "Moscow", "gov", "the Russian space agency Roscosmos"),
    ("Skolkovo Foundation", "Skolkovo", "Russia", "Moscow", "gov", "the Skolkovo Foundation, Moscow's innovation hub,"),
    ("Yandex", "Yandex", "Russia", "Moscow", "co", "Russian internet company Yandex"),
    ("Kaspersky Lab", "Kaspersky", "Russia", "Moscow", "co", "Moscow-based security software maker Kaspersky Lab"),
    ("Moscow Institute of Physics and Technology", "MIPT", "Russia", "Moscow", "uni", "the Moscow Institute of Physics and Technology (MIPT)"),
    ("Volga Photonics Group", "Volga Photonics", "Russia", "Kazan", "co", "Volga Photonics Group, a Kazan-based maker of laser components,"),
    ("Ural Robotics Works", "Ural Robotics", "Russia", "Novosibirsk", "co", "Ural Robotics Works, a Russian builder of industrial manipulators,"),
    ("Huawei", "Huawei", "China", "Shenzhen", "co", "Chinese telecommunications equipment maker Huawei"),
    ("ZTE", "ZTE", "China", "Shenzhen", "co", "Chinese network equipment supplier ZTE"),
    ("Tsinghua University", "Tsinghua", "China", "Beijing", "uni", "Tsinghua University in Beijing"),
    ("Alibaba Group", "Alibaba", "China", "Shanghai", "co", "Chinese e-commerce and cloud group Alibaba"),
    ("CATL", "CATL", "China", "Shanghai", "co", "Chinese battery maker CATL"),
    ("Chinese Academy of Sciences", "the academy", "China", "Beijing", "uni", "the Chinese Academy of Sciences"),
    ("Shenzhen Dragonfly Drones", "Dragonfly Drones", "China", "Shenzhen", "co", "Shenzhen Dragonfly Drones, a Chinese maker of commercial drones,"),
    ("IBM", "IBM", "the United States", "Boston", "co", "US technology group IBM"),
    ("Intel", "Intel", "the United States", "San Jose", "co", "American chipmaker Intel"),
    ("Massachusetts Institute of Technology", "MIT", "the United States", "Boston", "uni", "the Massachusetts Institute of Technology (MIT)"),
    ("Qualcomm", "Qualcomm", "the United States", "San Jose", "co", "US mobile chip designer Qualcomm"),
    ("Pacific Quantum Labs", "Pacific Quantum", "the United States", "Seattle", "co", "Pacific Quantum Labs, a Seattle quantum hardware start-up,"),
    ("Siemens", "Siemens", "Germany", "Munich", "co", "German industrial group Siemens"),
    ("Fraunhofer Society", "Fraunhofer", "Germany", "Munich", "uni", "Germany's Fraunhofer Society for applied research"),
    ("Airbus", "Airbus", "France", "Toulouse", "co", "European aerospace group Airbus"),
    ("Thales", "Thales", "France", "Paris", "co", "French defence and electronics company Thales"),
    ("Nokia", "Nokia", "Finland", "Espoo", "co", "Finnish network equipment maker Nokia"),
    ("ASML", "ASML", "the Netherlands", "Eindhoven", "co", "Dutch lithography equipment maker ASML"),
    ("Politecnico di Milano", "Politecnico", "Italy", "Milan", "uni", "the Politecnico di Milano technical university"),
    ("Baltic Biotech Partners", "Baltic Biotech", "Estonia", "Tallinn", "co", "Baltic Biotech Partners, a Tallinn-based contract research firm,"),
    ("Tata Consultancy Services", "TCS", "India", "Mumbai", "co", "Indian IT services company Tata Consultancy Services"),
    ("Indian Institute of Technology Bombay", "IIT Bombay", "India", "Mumbai", "uni", "the Indian Institute of Technology Bombay"),
    ("Infosys", "Infosys", "India", "Bengaluru", "co", "Indian software group Infosys"),
    ("Deccan Aerospace Systems", "Deccan Aerospace", "India", "Hyderabad", "co", "Deccan Aerospace Systems, a Hyderabad satellite component maker,"),
    ("Toshiba", "Toshiba", "Japan", "Tokyo", "co", "Japanese electronics company Toshiba"),
    ("Fujitsu", "Fujitsu", "Japan", "Tokyo", "co", "Japanese IT group Fujitsu"),
    ("University of Tokyo", "the University of Tokyo", "Japan", "Tokyo", "uni", "the University of Tokyo"),
    ("Samsung Electronics", "Samsung", "South Korea", "Suwon", "co", "South Korea's Samsung Electronics"),
    ("LG Energy Solution", "LG Energy Solution", "South Korea", "Seoul", "co", "Korean battery maker LG Energy Solution"),
    ("KAIST", "KAIST", "South Korea", "Daejeon", "uni", "the Korea Advanced Institute of Science and Technology (KAIST)"),
    ("Weizmann Institute of Science", "the Weizmann Institute", "Israel", "Rehovot", "uni", "Israel's Weizmann Institute of Science"),
    ("Galilee Cyber Systems", "Galilee Cyber", "Israel", "Haifa", "co", "Galilee Cyber Systems, an Israeli network security firm,"),
    ("Mubadala", "Mubadala", "the United Arab Emirates", "Abu Dhabi", "fund", "Abu Dhabi sovereign investor Mubadala"),
    ("Khalifa University", "Khalifa University", "the United Arab Emirates", "Abu Dhabi", "uni", "Khalifa University in Abu Dhabi"),
    ("Saudi Aramco", "Aramco", "Saudi Arabia", "Dhahran", "co", "Saudi state oil company Aramco"),
    ("Qatar Foundation", "Qatar Foundation", "Qatar", "Doha", "gov", "the Doha-based Qatar Foundation"),
    ("Gulf Falcon Robotics", "Falcon Robotics", "the United Arab Emirates", "Dubai", "co", "Gulf Falcon Robotics, a Dubai automation company,"),
]
ORG_INDEX = {o[0]: o for o in ORGS}

DOMAINS = [
    dict(short="5G", topic="5G", noun="5G network equipment", field="fifth-generation mobile communications",
         lab="5G radio access networks", transfer="5G base station", product="5G base stations",
         paper="beam management in millimetre-wave 5G networks", experts="radio engineers",
         market="5G infrastructure"),
    dict(short="AI", topic="AI", noun="artificial intelligence systems", field="artificial intelligence",
         lab="machine learning and computer vision", transfer="speech recognition", product="AI accelerator servers",
         paper="training large language models on limited hardware", experts="machine learning engineers",
         market="enterprise artificial intelligence software"),
    dict(short="quantum computing", topic="quantum computing", noun="quantum computers", field="quantum computing",
         lab="superconducting qubits", transfer="quantum key distribution", product="quantum processors",
         paper="error correction in superconducting qubit arrays", experts="quantum physicists",
         market="quantum computing hardware"),
    dict(short="chip", topic="chips", noun="semiconductors", field="semiconductor manufacturing",
         lab="advanced chip packaging", transfer="chip packaging", product="power semiconductors",
         paper="defect detection in silicon wafers", experts="chip designers",
         market="semiconductor equipment"),
    dict(short="biotech", topic="biotech", noun="biotechnology products", field="biotechnology",
         lab="gene therapy and vaccine research", transfer="vaccine production", product="biosimilar drugs",
         paper="antibody engineering against respiratory viruses", experts="molecular biologists",
         market="biologic drugs"),
    dict(short="space", topic="space technology", noun="space technology", field="space exploration",
         lab="small satellite design", transfer="satellite propulsion", product="Earth observation satellites",
         paper="tracking orbital debris with ground-based radar", experts="aerospace engineers",
         market="commercial satellite services"),
    dict(short="nuclear", topic="nuclear energy", noun="nuclear power plants", field="civil nuclear energy",
         lab="reactor materials", transfer="small modular reactor", product="nuclear fuel assemblies",
         paper="radiation resistance of reactor steels", experts="nuclear engineers",
         market="nuclear power construction"),
    dict(short="cybersecurity", topic="cybersecurity", noun="cybersecurity tools", field="information security",
         lab="threat intelligence", transfer="intrusion detection", product="network security appliances",
         paper="detecting malware in industrial control systems", experts="security analysts",
         market="cybersecurity services"),
    dict(short="robotics", topic="robotics", noun="industrial robots", field="robotics and automation",
         lab="collaborative robots", transfer="robot control", product="industrial robots",
         paper="grasping unfamiliar objects with robotic hands", experts="robotics engineers",
         market="industrial automation"),
    dict(short="battery", topic="batteries", noun="batteries", field="energy storage",
         lab="solid-state battery chemistry", transfer="lithium-ion cell", product="battery cells",
         paper="ageing of lithium iron phosphate cells", experts="electrochemists",
         market="electric vehicle batteries"),
    dict(short="drone", topic="drones", noun="drones", field="unmanned aerial vehicles",
         lab="autonomous drone navigation", transfer="drone flight control", product="agricultural drones",
         paper="collision avoidance for drone swarms", experts="avionics engineers",
         market="commercial drones"),
    dict(short="satellite navigation", topic="satellite navigation", noun="satellite navigation systems", field="satellite navigation",
         lab="high-precision positioning", transfer="navigation receiver", product="navigation receivers",
         paper="combining GLONASS and BeiDou signals for precise positioning", experts="navigation specialists",
         market="satellite navigation services"),
]

OUTLETS = [
    ("Eurasia Tech Wire", "www.eurasiatechwire.example"),
    ("The Innovation Ledger", "innovationledger.example"),
    ("Global Partnerships Daily", "www.gpdaily.example"),
    ("Silk Road Science Review", "silkroadscience.example"),
    ("Northern Industry Herald", "www.northernherald.example"),
    ("Pacific Technology Post", "pactechpost.example"),
    ("Continental Business Times", "www.cbtimes.example"),
    ("The Research Frontier", "researchfrontier.example"),
    ("Gulf Innovation Monitor", "www.gulfinnovation.example"),
    ("Asia Engineering News", "asiaengineering.example"),
    ("The Strategic Technology Report", "strategictech.example"),
    ("Worldwide Lab Notes", "www.worldwidelabnotes.example"),
]

# Spokesperson names by country: (first names, surnames)
NAMES = {
    "Russia": (["Alexei", "Irina", "Dmitry", "Olga", "Sergei", "Natalia", "Pavel", "Yulia"],
               ["Volkov", "Sokolova", "Kuznetsov", "Morozova", "Lebedev", "Orlova", "Zaitsev", "Belova"]),
    "China": (["Wei", "Li", "Jun", "Xiaoming", "Yan", "Hao", "Mei", "Tao"],
              ["Zhang", "Wang", "Liu", "Chen", "Zhao", "Huang", "Zhou", "Sun"]),
    "the United States": (["Michael", "Sarah", "David", "Jennifer", "Robert", "Emily", "James", "Laura"],
                          ["Miller", "Johnson", "Carter", "Reynolds", "Brooks", "Hayes", "Porter", "Walsh"]),
    "Germany": (["Stefan", "Katrin", "Matthias", "Julia", "Thomas", "Anja"],
                ["Becker", "Hoffmann", "Schulz", "Wagner", "Keller", "Braun"]),
    "France": (["Pierre", "Claire", "Julien", "Sophie", "Antoine", "Camille"],
               ["Moreau", "Laurent", "Girard", "Fontaine", "Mercier", "Dubois"]),
    "Italy": (["Marco", "Giulia", "Luca", "Francesca"], ["Rossi", "Bianchi", "Ferrari", "Conti"]),
    "the Netherlands": (["Pieter", "Annelies", "Joost", "Marloes"], ["de Vries", "Bakker", "Visser", "Smit"]),
    "Finland": (["Mikko", "Aino", "Juha", "Laura"], ["Virtanen", "Korhonen", "Nieminen", "Laine"]),
    "Estonia": (["Kristjan", "Kadri", "Margus", "Liis"], ["Tamm", "Saar", "Sepp", "Kask"]),
    "India": (["Rajesh", "Priya", "Anil", "Kavita", "Suresh", "Deepa"],
              ["Sharma", "Iyer", "Patel", "Reddy", "Menon", "Gupta"]),
    "Japan": (["Hiroshi", "Yuko", "Takeshi", "Akiko", "Kenji", "Naomi"],
              ["Tanaka", "Suzuki", "Watanabe", "Yamamoto", "Kobayashi", "Sato"]),
    "South Korea": (["Min-jun", "Ji-woo", "Seung-ho", "Hye-jin"], ["Kim", "Park", "Lee", "Choi"]),
    "Israel": (["Yossi", "Tamar", "Avi", "Noa"], ["Cohen", "Levi", "Mizrahi", "Peretz"]),
    "the United Arab Emirates": (["Khalid", "Fatima", "Saeed", "Mariam"], ["Al Mansoori", "Al Hammadi", "Al Suwaidi", "Al Nuaimi"]),
    "Saudi Arabia": (["Abdullah", "Nora", "Faisal", "Reem"], ["Al-Qahtani", "Al-Harbi", "Al-Otaibi", "Al-Ghamdi"]),
    "Qatar": (["Hamad", "Aisha", "Jassim", "Maryam"], ["Al-Thani", "Al-Kuwari", "Al-Mannai", "Al-Sulaiti"]),
}

TITLES = {
    "co": ["chief executive", "chief technology officer", "head of international cooperation",
           "vice-president for research and development", "director of strategy", "a company spokesperson",
           "head of the {short} business"],
    "uni": ["rector", "vice-rector for research", "head of the technology transfer office",
            "a professor who leads the {short} programme", "director of international relations"],
    "gov": ["deputy director general", "head of international cooperation", "an official spokesperson",
            "director of the {short} programme"],
    "fund": ["head of technology investments", "a managing director", "chief investment officer"],
}

CONSULTANCIES = ["Northbridge Research", "Meridian Analytics", "Clearwater Insights", "Eastgate Advisory",
                 "Harlow and Finch", "Bluepeak Consulting", "Stratum Market Intelligence"]
JOURNALS = ["Nature Communications", "Physical Review Applied", "IEEE Transactions on Industrial Electronics",
            "Advanced Materials", "Scientific Reports", "the Journal of Applied Physics", "Cell Reports"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MILLIONS = [10, 15, 20, 25, 30, 40, 50, 60, 75, 80, 100, 120, 150, 200, 250, 300, 400, 500]
ORDINALS = ["second", "third", "fourth", "fifth"]

# Partnership kinds: (name, types allowed for A, types allowed for B, needs a city)
KINDS = [
    ("agreement", ("co", "uni", "gov"), ("co", "uni", "gov"), False),
    ("rd_centre", ("co",), None, True),
    ("investment", ("co", "fund"), ("co",), False),
    ("joint_lab", ("co", "uni"), ("co", "uni"), True),
    ("coauthor", ("uni", "co"), ("uni", "co"), False),
    ("transfer", ("co", "gov"), ("co", "gov"), False),
    ("hire", ("co",), ("co", "uni"), False),
    ("mou", ("co", "uni", "gov"), ("co", "uni", "gov"), False),
    ("licence", ("co",), ("co",), False),
    ("joint_venture", ("co",), ("co", "fund"), True),
]

# Main partnership sentences. {a}/{b}: first or later mention; {when}: " on Tuesday" or "".
PARTNERSHIP = {
    "agreement": [
        "{a} and {b} signed an agreement{when} to develop {product} together.",
        "{a} and {b} signed an agreement{when} to jointly develop {noun} for export markets.",
    ],
    "rd_centre": [
        "{a} opened a research and development centre in {city}, {country}{when}, focusing on {lab}.",
        "{a} opened a new research and development centre in {city}{when} that will work on {lab}.",
    ],
    "investment": [
        "{a} will invest ${m} million in {b}, the companies said{when}.",
        "{a} agreed{when} to invest ${m} million in {b} to expand its work on {product}.",
    ],
    "joint_lab": [
        "{a} and {b} set up a joint laboratory for {lab} in {city}, the partners announced{when}.",
        "{a} and {b} have set up a joint laboratory in {city} to study {lab}, they said{when}.",
    ],
    "coauthor": [
        "Researchers from {a} and {b} co-authored a study on {paper}, published{when} in {journal}.",
        "Scientists from {a} and {b} co-authored a paper on {paper} that appeared{when} in {journal}.",
    ],
    "transfer": [
        "{a} agreed to transfer {transfer} technology to {b} under a deal announced{when}.",
        "{a} agreed{when} to transfer its {transfer} technology to {b} as part of a wider cooperation programme.",
    ],
    "hire": [
        "{a} hired {n} {experts} from {b}, the company confirmed{when}.",
        "{a} has hired {n} {experts} from {b} to staff a new {short} unit, it said{when}.",
    ],
    "mou": [
        "{a} and {b} signed a memorandum of understanding{when} on cooperation in {field}.",
        "{a} and {b} signed a memorandum{when} pledging to cooperate on {field} research and training.",
    ],
    "licence": [
        "{a} will license its {transfer} technology to {b}, the two companies said{when}.",
        "{b} will produce {product} under a licence from {a}, according to a statement released{when}.",
    ],
    "joint_venture": [
        "{a} and {b} agreed{when} to form a joint venture to manufacture {product} in {city}.",
        "{a} and {b} will set up a joint venture in {city} to make {product}, the partners said{when}.",
    ],
}

DETAIL = {
    "agreement": ["Under the agreement, {bs} will contribute {experts} and test facilities, while {as_} will provide funding and access to its designs.",
                  "The agreement covers joint design work, shared testing and the training of young {experts} at both organisations."],
    "rd_centre": ["The centre will initially employ about {n} {experts} and is expected to reach {n2} staff within three years.",
                  "{as_} said the centre would recruit mainly local graduates and work closely with its existing laboratories at home."],
    "investment": ["The investment gives {as_} a minority stake in {bs} and a seat on its board of directors.",
                   "{bs} said it would use the money to build a pilot production line and to hire more {experts}."],
    "joint_lab": ["The laboratory will be headed jointly by researchers from both institutions and will admit its first doctoral students next year.",
                  "Each partner will contribute equipment and staff, and results will be published openly unless both sides agree otherwise."],
    "coauthor": ["The study drew on experiments carried out at laboratories in {acity} and {bcity} over a period of two years.",
                 "The authors said their results could help manufacturers cut costs and improve the reliability of {product}."],
    "transfer": ["The transfer includes design documentation, manufacturing know-how and training for {n} {experts} from {bs}.",
                 "{bs} expects to begin local production within three years once its engineers have completed training."],
    "hire": ["{as_} said the new recruits would join its {lab} team in {acity}.",
             "Recruiters said the engineers were offered relocation packages and salaries well above the local average."],
    "mou": ["The memorandum is not legally binding, but both sides said they expected to sign detailed contracts within a year.",
            "Working groups from both organisations will meet in {acity} and {bcity} to identify the first joint projects."],
    "licence": ["{bs} will pay royalties on each unit sold and plans to begin production in {bcity} in {ynext}.",
                "The licence covers manufacturing in {bcountry} and sales to neighbouring markets."],
    "joint_venture": ["{as_} will hold {pct} percent of the joint venture, with the remainder owned by {bs}.",
                      "The joint venture is expected to start production in {ynext} and employ several hundred people."],
}

HEADLINE = {
    "agreement": ["{as_} and {bs} sign {short} development deal", "{as_} teams up with {bs} on {topic}"],
    "rd_centre": ["{as_} opens {short} research centre in {city}", "{as_} picks {city} for new R&D centre"],
    "investment": ["{as_} to invest ${m} million in {bs}", "{as_} bets ${m} million on {bs}"],
    "joint_lab": ["{as_} and {bs} launch joint {short} laboratory", "{as_} and {bs} open {short} lab in {city}"],
    "coauthor": ["{ademc} and {bdemc} researchers publish joint {short} study", "{as_} and {bs} scientists team up on {short} paper"],
    "transfer": ["{as_} to transfer {short} technology to {bs}", "{bs} to receive {short} know-how from {as_}"],
    "hire": ["{as_} recruits {experts} from {bs}", "{as_} hires {short} talent from {bs}"],
    "mou": ["{as_} and {bs} agree to cooperate on {topic}", "{as_} and {bs} sign {short} memorandum"],
    "licence": ["{bs} licenses {short} technology from {as_}", "{as_} grants {bs} licence for {short} technology"],
    "joint_venture": ["{as_} and {bs} form {short} joint venture in {city}", "{as_} and {bs} to make {product} in {city}"],
}

SECONDARY_PREFIX = ["Separately, ", "In a related development, ", "At the same event, ", "In a further sign of cooperation, "]

FILLER = [
    "{as_} has been expanding its presence in {bcountry} since {yprev}, when it opened a representative office in {bcity}.",
    "The announcement comes as governments in several countries tighten export controls on {noun}, making cross-border partnerships harder to arrange.",
    "Analysts at {consult} estimate that the global market for {market} will reach ${bn} billion by {yfut}, up from about ${bn2} billion last year.",
    "The project is expected to create around {jobs} jobs, most of them for graduates of local universities.",
    "Officials in {bcountry} have described {field} as a national priority and offer tax incentives to foreign organisations willing to carry out research locally.",
    "The first results of the cooperation are expected in {ynext}, according to a joint statement issued by the partners.",
    "Demand for {noun} has risen sharply as manufacturers and governments look for alternatives to their established suppliers.",
    "Industry observers said the deal reflects a wider shift in {field}, where partnerships increasingly cross political as well as geographic borders.",
    "Critics have warned that such arrangements can leave the weaker partner dependent on a single foreign supplier for spare parts and know-how.",
    "The partners plan to present a first prototype at an industry exhibition in {anycity} next year.",
    "Local media reported that the talks had lasted almost {months} months before the final text was agreed.",
    "The government of {acountry} has set a goal of becoming largely self-sufficient in {noun} by {yfut}, and officials have welcomed partners who bring technology.",
    "Trade between {acountry} and {bcountry} in high-technology goods has grown steadily over the past five years, according to customs data.",
    "Competition for qualified {experts} has intensified worldwide, and salaries in the sector have risen faster than in most other industries.",
    "Several universities in {bcountry} are expected to join the programme later, offering internships to students in engineering and computer science.",
    "Costs for {product} have fallen in recent years, but building a competitive supply chain still requires years of investment.",
]
# Fillers for stories with a single organisation (R&D centres).
FILLER_ONE = [
    "The company did not say how much it was spending on the project, and analysts said the figure was unlikely to be made public.",
    "{as_} already runs research sites in several other countries and said the new centre would share projects with them.",
]
# Fillers that need two partners (not used for R&D centre stories).
FILLER_TWO = [
    "Neither side disclosed the financial terms of the arrangement, which still requires approval from regulators in both countries.",
    "It is the {ordinal} project of its kind between {adem} and {bdem} organisations in {field} this year.",
    "Previous attempts at cooperation between the two organisations stalled in {yprev2} over disagreements about intellectual property.",
    "A steering committee with representatives of both sides will select projects and review progress twice a year.",
    "The agreement runs for {years} years and can be extended by mutual consent if both sides are satisfied with the results.",
    "Both sides said the work would be carried out in full compliance with the export control rules of their respective countries.",
    "{bs} has worked with foreign partners before, including a project with a European research consortium that ended in {yprev3}.",
    "The deal was signed in the presence of officials from both countries during a visit to {visitcity}.",
]
FILLER_A_CO = [
    "{as_} employs about {emp} people worldwide and reported revenue growth of {pct2} percent in its most recent financial year.",
    "Shares of {as_} rose {pctsmall} percent after the announcement before giving up part of the gain later in the day.",
]

QUOTES = [
    "\"This partnership brings together complementary strengths in {field},\" said {person}, {title} at {org}.",
    "\"We see great potential in {bcountry}, both as a market and as a source of talent,\" said {person}, {title} at {org}.",
    "\"Our engineers will learn a great deal in {bcountry},\" {person}, {title} at {org}, told reporters in {anycity}.",
    "\"No single organisation can master {field} alone any more,\" said {person}, {title} at {org}.",
    "\"The agreement is a practical step, not a political statement,\" {person}, {title} at {org}, said in an interview.",
    "\"We expect the first joint products to reach customers within {years} years,\" said {person}, {title} at {org}.",
    "According to {person}, {title} at {org}, the two teams had already been working together informally for more than a year.",
    "{person}, {title} at {org}, said the cooperation would focus on {lab} at first and could later expand to other areas.",
    "\"What matters now is execution, and we have agreed a very concrete plan for the next three years,\" said {person}, {title} at {org}.",
    "\"Talent is the scarcest resource in {field}, and this cooperation gives us access to some of the best people,\" said {person}, {title} at {org}.",
]

SYNDICATION_NOTES = [
    "This article was first published by {orig} and is republished with permission.",
    "The story was originally reported by {orig}.",
    "Additional reporting by {person}; a version of this report first appeared in {orig}.",
    "{orig} contributed reporting to this article.",
    "This report has been updated with additional background since it first appeared in {orig}.",
]
SYNDICATION_TITLES = ["{h} | {outlet}", "{h} - {outlet}", "{outlet}: {h}", "UPDATE 1-{h} ({outlet})",
                      "Report: {h} | {outlet}", "{h} ({outlet})"]

MIN_SENT, MAX_SENT = 8, 14
MIN_LEN, MAX_LEN = 1800, 2300

DATE0 = datetime.date(2015, 1, 1).toordinal()
DATE1 = datetime.date(2025, 12, 31).toordinal()


# ---------------------------------------------------------------------------
# Generation
# ---------------------------------------------------------------------------

class Rng:
    """Choice helpers built only on random.Random(seed).random().

    Faster than Random.choice/randint (this script makes ~100 draws per article) and, since
    they depend on nothing but the Mersenne Twister stream, stable across Python versions.
    """

    def __init__(self, seed):
        self.random = random.Random(seed).random

    def choice(self, seq):
        return seq[int(self.random() * len(seq))]

    def randint(self, a, b):
        return a + int(self.random() * (b - a + 1))

    def randrange(self, a, b=None, step=1):
        if b is None:
            a, b = 0, a
        return a + step * int(self.random() * ((b - a + step - 1) // step))

    def shuffle(self, x):
        r = self.random
        for i in range(len(x) - 1, 0, -1):
            j = int(r() * (i + 1))
            x[i], x[j] = x[j], x[i]

    def weighted(self, values, weights):
        t = self.random() * sum(weights)
        for v, w in zip(values, weights):
            if t < w:
                return v
            t -= w
        return values[-1]


def slugify(text):
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(s) > 70:
        s = s[:70].rsplit("-", 1)[0]
    return s


def cap(s):
    return s[:1].upper() + s[1:]


def tidy(s):
    """Capitalise, and merge the comma closing an appositive introduction with what follows."""
    return cap(s.replace(",,", ",").replace(",.", "."))


FAMILY_NAME_FIRST = ("China", "South Korea")


def person_name(rng, country):
    first, last = NAMES[country]
    f, l = rng.choice(first), rng.choice(last)
    return f"{l} {f}" if country in FAMILY_NAME_FIRST else f"{f} {l}"


class Article:
    """One original article, built from a shared random generator."""

    def __init__(self, rng):
        self.rng = rng
        self.mentioned = []
        self.prefixes = list(SECONDARY_PREFIX)
        rng.shuffle(self.prefixes)

    def mention(self, org):
        if org[0] in self.mentioned:
            return org[1]
        self.mentioned.append(org[0])
        return org[5]

    def pick_org(self, types, avoid_countries=(), avoid_names=()):
        rng = self.rng
        while True:
            o = rng.choice(ORGS)
            if o[4] in types and o[2] not in avoid_countries and o[0] not in avoid_names:
                return o

    def person(self, org):
        return person_name(self.rng, org[2])

    def partnership(self, kind_row, dom, a=None, b=None, primary=True, weekday=""):
        """Return (sentence, manifest record, template slots, org A, org B or None)."""
        rng = self.rng
        kind, ta, tb, needs_city = kind_row
        if a is None or a[4] not in ta:
            a = self.pick_org(ta, avoid_names=[b[0]] if b else [])
        if kind == "rd_centre":
            b = None
            country = rng.choice([c for c in COUNTRY_NAMES if c != a[2]])
            city = rng.choice(COUNTRIES[country][1])
        else:
            if b is None or b[4] not in tb or b[2] == a[2]:
                b = self.pick_org(tb, avoid_countries=[a[2]])
            if needs_city:
                city = rng.choice(COUNTRIES[rng.choice([a[2], b[2]])][1])
            else:
                city = b[3]
            country = [k for k in COUNTRY_NAMES if city in COUNTRIES[k][1]][0]
        slots = dict(dom)
        slots.update(
            city=city, country=country,
            m=rng.choice(MILLIONS), n=rng.randrange(12, 160), n2=rng.randrange(200, 600),
            journal=rng.choice(JOURNALS), pct=rng.choice([49, 50, 51, 55, 60, 70]),
            as_=a[1], acity=a[3], acountry=a[2],
        )
        if b is not None:
            slots.update(bs=b[1], bcity=b[3], bcountry=b[2])
        else:
            slots.update(bs=a[1], bcity=city, bcountry=country)
        slots["a"] = self.mention(a)
        if b is not None:
            slots["b"] = self.mention(b)
        slots["when"] = (" on " + weekday) if primary else ""
        s = rng.choice(PARTNERSHIP[kind]).format(**slots)
        if not primary:
            if s.startswith(("Researchers ", "Scientists ")):
                s = s[0].lower() + s[1:]
            s = self.prefixes.pop() + s
        s = tidy(s)
        record = {"kind": kind, "a": a[0], "b": b[0] if b else None, "domain": dom["short"], "city": city}
        return s, record, slots, a, b


def make_article(rng):
    """Return (headline, date, body paragraphs, partnership records)."""
    art = Article(rng)
    date = datetime.date.fromordinal(rng.randint(DATE0, DATE1))
    weekday = WEEKDAYS[date.weekday()]
    year = date.year
    dom = rng.choice(DOMAINS)
    kind_row = rng.choice(KINDS)

    s1, rec1, slots, a, b = art.partnership(kind_row, dom, primary=True, weekday=weekday)
    records = [rec1]
    two_party = b is not None
    other = b if two_party else art.pick_org(("co", "uni", "gov"), avoid_countries=[a[2]])

    # Shared slots for detail, filler and quote templates.
    slots.update(
        adem=COUNTRIES[a[2]][0], bdem=COUNTRIES[slots["bcountry"]][0],
        ademc=cap(COUNTRIES[a[2]][0]), bdemc=cap(COUNTRIES[slots["bcountry"]][0]),
        yprev=rng.randint(2008, year - 1), yprev2=rng.randint(2005, year - 1), yprev3=rng.randint(2005, year - 1),
        ynext=year + rng.randint(1, 3), yfut=year + rng.randint(4, 10),
        consult=rng.choice(CONSULTANCIES), bn=rng.randint(20, 400), jobs=f"{rng.randrange(50, 1500, 10):,}",
        ordinal=rng.choice(ORDINALS), years=rng.randint(3, 10), months=rng.randint(6, 30),
        anycity=rng.choice(ALL_CITIES)[0], visitcity=rng.choice([a[3], slots["bcity"]]),
        emp=f"{rng.randrange(800, 120000, 100):,}",
        pct2=rng.randint(2, 35), pctsmall=f"{rng.randint(5, 60) / 10:.1f}",
    )
    slots["bn2"] = max(5, slots["bn"] * rng.randint(35, 75) // 100)

    headline = cap(rng.choice(HEADLINE[kind_row[0]]).format(**slots))
    detail = tidy(rng.choice(DETAIL[kind_row[0]]).format(**slots))

    # Secondary partnerships (0-2), involving one of the first organisations.
    n_part = rng.weighted([1, 2, 3], [50, 35, 15])
    secondary = []
    for _ in range(n_part - 1):
        krow = rng.choice(KINDS)
        anchor = rng.choice([a, other])
        d2 = dom if rng.random() < 0.7 else rng.choice(DOMAINS)
        s, rec, _, _, _ = art.partnership(krow, d2, a=anchor, primary=False)
        secondary.append(s)
        records.append(rec)

    # Quotes and fillers.
    pool = list(FILLER) + (FILLER_TWO if two_party else FILLER_ONE) + (FILLER_A_CO if a[4] == "co" else [])
    rng.shuffle(pool)
    qpool = list(QUOTES)
    rng.shuffle(qpool)

    speakers = [a, other] if two_party else [a]  # at most one quote from each organisation
    rng.shuffle(speakers)

    def quote():
        org = speakers.pop()
        person, title = art.person(org), rng.choice(TITLES[org[4]]).format(short=dom["short"])
        args = dict(slots, person=person, title=title, org=org[1])
        if org is not a:  # the partner country, seen from the speaker
            args["bcountry"] = a[2]
        return tidy(qpool.pop().format(**args))

    def filler():
        return tidy(pool.pop().format(**slots))

    n_target = rng.randint(MIN_SENT, MAX_SENT)
    tail = secondary + [quote()]
    while len(tail) + 2 < n_target:
        tail.append(quote() if speakers and rng.random() < 0.3 else filler())
    rng.shuffle(tail)
    sentences = [s1, detail] + tail
    protected = set([s1, detail] + secondary)

    def size(sents):
        # body plus header: "Title: ", URL with a slug about as long as the headline, "Date: "
        return sum(len(s) + 1 for s in sents) + len(sents) // 3 + 2 * len(headline) + 85

    target = rng.randint(MIN_LEN + 50, MAX_LEN - 50)
    while size(sentences) < target and len(sentences) < MAX_SENT and pool:
        sentences.insert(rng.randint(2, len(sentences)), filler())
    while size(sentences) > MAX_LEN and len(sentences) > MIN_SENT:
        removable = [i for i, s in enumerate(sentences) if s not in protected]
        if not removable:
            break
        del sentences[rng.choice(removable)]

    # Paragraphs of 2-4 sentences, never a lone sentence at the end.
    paragraphs = []
    i = 0
    while i < len(sentences):
        left = len(sentences) - i
        if left <= 4:
            k = left
        else:
            k = rng.randint(2, 4)
            if left - k == 1:
                k -= 1
        paragraphs.append(" ".join(sentences[i:i + k]))
        i += k
    return headline, date, paragraphs, records


def render(title, outlet_domain, date, slug, paragraphs):
    return (f"Title: {title}\nURL: https://{outlet_domain}/{date.year:04d}/{date.month:02d}/{slug}\n"
            f"Date: {date.isoformat()}\n\n" + "\n\n".join(paragraphs) + "\n")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    ap.add_argument("--count", type=int, default=100000, help="number of documents (default 100000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--dup-rate", type=float, default=0.02,
                    help="fraction of documents that are exact copies of an earlier one (default 0.02)")
    ap.add_argument("--syndicated-rate", type=float, default=0.03,
                    help="fraction of near-duplicate copies under another outlet's header (default 0.03)")
    ap.add_argument("--shard-size", type=int, default=1000, help="files per subfolder (default 1000)")
    ap.add_argument("--manifest", metavar="FILE", help="optional JSONL record per document (keep outside DIR)")
    args = ap.parse_args(argv)
    if args.count < 0 or args.shard_size < 1:
        ap.error("--count must be >= 0 and --shard-size >= 1")
    if not (0 <= args.dup_rate and 0 <= args.syndicated_rate and args.dup_rate + args.syndicated_rate < 1):
        ap.error("rates must be >= 0 and sum to less than 1")

    t0 = time.perf_counter()
    rng = Rng(args.seed)
    width = max(6, len(str(max(args.count - 1, 0))))
    n_shards = (args.count + args.shard_size - 1) // args.shard_size
    shard_width = max(4, len(str(max(n_shards - 1, 0))))
    originals = []        # (relative path, outlet index, headline) of original articles
    n_dup = n_synd = 0
    total = 0
    manifest = open(args.manifest, "w", encoding="utf-8") if args.manifest else None
    made_shard = -1

    # Exactly round(count * rate) copies of each sort, at random positions after the first document.
    room = max(args.count - 1, 0)  # the first document is always an original
    n_dup_target = min(round(args.count * args.dup_rate), room)
    n_synd_target = min(round(args.count * args.syndicated_rate), room - n_dup_target)
    kinds = [2] * n_dup_target + [1] * n_synd_target
    kinds += [0] * (args.count - len(kinds))
    rng.shuffle(kinds)
    if kinds:
        first = kinds.index(0)
        kinds[first], kinds[0] = kinds[0], 0

    for i in range(args.count):
        shard = i // args.shard_size
        rel = f"{shard:0{shard_width}d}/{i:0{width}d}.txt"
        if shard != made_shard:
            os.makedirs(os.path.join(args.out, f"{shard:0{shard_width}d}"), exist_ok=True)
            made_shard = shard
        entry = {"file": rel}
        if kinds[i] == 2:
            src_rel, _, _ = rng.choice(originals)
            with open(os.path.join(args.out, src_rel), "rb") as f:
                data = f.read()
            n_dup += 1
            entry.update(kind="duplicate", source=src_rel)
        elif kinds[i] == 1:
            src_rel, src_outlet, src_headline = rng.choice(originals)
            with open(os.path.join(args.out, src_rel), "r", encoding="utf-8") as f:
                text = f.read()
            header, body = text.split("\n\n", 1)
            date_line = header.split("\n")[2]
            url = header.split("\n")[1]
            outlet = rng.choice([k for k in range(len(OUTLETS)) if k != src_outlet])
            name, domain = OUTLETS[outlet]
            title = rng.choice(SYNDICATION_TITLES).format(h=src_headline, outlet=name)
            path_part = url.split("/", 3)[3]
            note = rng.choice(SYNDICATION_NOTES).format(orig=OUTLETS[src_outlet][0],
                                                        person=person_name(rng, rng.choice(COUNTRY_NAMES)))
            text = (f"Title: {title}\nURL: https://{domain}/{path_part}\n{date_line}\n\n"
                    + body.rstrip("\n") + "\n\n" + note + "\n")
            data = text.encode("utf-8")
            n_synd += 1
            entry.update(kind="syndicated", source=src_rel)
        else:
            headline, date, paragraphs, records = make_article(rng)
            outlet = rng.randrange(len(OUTLETS))
            data = render(headline, OUTLETS[outlet][1], date, slugify(headline), paragraphs).encode("utf-8")
            originals.append((rel, outlet, headline))
            entry.update(kind="original", partnerships=records)
        fd = os.open(os.path.join(args.out, rel), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        total += len(data)
        if manifest:
            manifest.write(json.dumps(entry, ensure_ascii=False) + "\n")

    if manifest:
        manifest.close()
    secs = time.perf_counter() - t0
    print(f"gen_corpus: {args.count} documents written to {args.out} ({n_dup} exact duplicates, "
          f"{n_synd} syndicated copies), {total} bytes, {secs:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
