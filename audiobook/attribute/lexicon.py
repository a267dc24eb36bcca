"""Word lists for speaker attribution: speech verbs, honorifics, person nouns, first names.

General English (and a little French, Spanish, Italian, German) usage; nothing here names a
character of any particular story.
"""

from __future__ import annotations

from audiobook.model import Gender


def _words(s: str) -> tuple[str, ...]:
    return tuple(s.split())


SPEECH_VERBS = frozenset(
    [
        "said",
        "says",
        "say",
        "saying",
        "replied",
        "replies",
        "answered",
        "answers",
        "asked",
        "asks",
        "cried",
        "cries",
        "exclaimed",
        "exclaims",
        "returned",
        "returns",
        "rejoined",
        "observed",
        "observes",
        "remarked",
        "remarks",
        "continued",
        "continues",
        "added",
        "adds",
        "whispered",
        "whispers",
        "murmured",
        "murmurs",
        "muttered",
        "mutters",
        "shouted",
        "shouts",
        "admitted",
        "admits",
        "began",
        "begins",
        "repeated",
        "repeats",
        "inquired",
        "inquires",
        "enquired",
        "demanded",
        "demands",
        "pursued",
        "explained",
        "explains",
        "declared",
        "declares",
        "interrupted",
        "interrupts",
        "interposed",
        "urged",
        "urges",
        "called",
        "calls",
        "yelled",
        "yells",
        "screamed",
        "proclaimed",
        "cooed",
        "yelped",
        "screams",
        "sighed",
        "sighs",
        "laughed",
        "laughs",
        "groaned",
        "groans",
        "growled",
        "growls",
        "snapped",
        "snaps",
        "retorted",
        "retorts",
        "responded",
        "responds",
        "protested",
        "protests",
        "insisted",
        "insists",
        "suggested",
        "suggests",
        "agreed",
        "agrees",
        "objected",
        "objects",
        "announced",
        "announces",
        "stammered",
        "stammers",
        "faltered",
        "sobbed",
        "sobs",
        "gasped",
        "gasps",
        "breathed",
        "whimpered",
        "grumbled",
        "grumbles",
        "thundered",
        "roared",
        "roars",
        "bellowed",
        "shrieked",
        "squeaked",
        "hissed",
        "hisses",
        "chuckled",
        "giggled",
        "smiled",
        "smiles",
        "grinned",
        "nodded",
        "told",
        "tells",
        "called",
        "greeted",
        "greets",
        "resumed",
        "resumes",
        "concluded",
        "concludes",
        "commented",
        "comments",
        "mused",
        "muses",
        "ventured",
        "ventures",
        "persisted",
        "persists",
        "cautioned",
        "warned",
        "warns",
        "assented",
        "assents",
        "went",
        "thought",
        "thinks",
        "wondered",
        "wonders",
        "reflected",
        "reflects",
        "corrected",
        "corrects",
        "recommended",
        "pleaded",
        "pleads",
        "begged",
        "begs",
        "confessed",
        "confesses",
        "acknowledged",
        "conceded",
        "concedes",
        "ordered",
        "orders",
        "commanded",
        "commands",
        "shouted",
        "sang",
        "sings",
        "chimed",
        "broke",
        "put",
        "struck",
        "cut",
        "hazarded",
        "offered",
        "offers",
        "proposed",
        "proposes",
        "teased",
        "teases",
        "joked",
        "jokes",
        "complained",
        "complains",
        "lamented",
        "exclaimed",
        "cried",
        "soliloquized",
        "moaned",
        "moans",
        "wailed",
        "whined",
        "drawled",
        "lisped",
        "blurted",
        "stuttered",
        "spluttered",
        "sneered",
        "scoffed",
        "scoffs",
        "huffed",
        "panted",
        "mumbled",
        "mumbles",
        "crowed",
        "observed",
        "interjected",
        "affirmed",
        "assured",
        "assures",
        "informed",
        "informs",
        "replied",
        "remonstrated",
        "expostulated",
        "sobbed",
        "addressed",
        "addresses",
        "rejoined",
        "blustered",
        "pouted",
        "ejaculated",
        "echoed",
        "echoes",
        "asserted",
        "asserts",
        "entreated",
        "questioned",
        "subjoined",
        "proceeded",
        "submitted",
        "interpreted",
        "reiterated",
        "simpered",
        "stormed",
        "fumed",
        "raged",
        "snarled",
        "barked",
        "purred",
        "quavered",
        "croaked",
        "piped",
        "chirped",
        "trilled",
        "rapped",
        "flashed",
        "stated",
        "states",
        "related",
        "recounted",
        "quoted",
        "prompted",
        "coaxed",
        "soothed",
        "consoled",
        "implored",
        "besought",
        "appealed",
        "queried",
        "exploded",
        "snorted",
        "sniffed",
        "grunted",
        "wheezed",
        "gulped",
        "hinted",
        "volunteered",
        "supplied",
        "amended",
        "apologized",
        "apologised",
        "accused",
        "argued",
        "reasoned",
        "contended",
        "maintained",
        "ruminated",
        "speculated",
        "recited",
        "sputtered",
        "uttered",
        "pronounced",
        "vociferated",
        "howled",
        "hollered",
        "screeched",
        "squealed",
        "whistled",
        "intoned",
        "chanted",
        "counselled",
        "counseled",
        "advised",
        "insinuated",
        "ejaculates",
        "blusters",
        "pouts",
        "proceeds",
        "pursues",
        "submits",
    ]
)
"""Verbs that introduce or follow a quotation."""

SPEECH_ING = _words(
    "saying adding replying answering asking crying exclaiming calling remarking observing "
    "whispering muttering murmuring shouting announcing continuing beginning returning "
    "rejoining interrupting repeating declaring inquiring enquiring demanding explaining"
)
"""Speech verbs in -ing form, closing a clause that leads into a quote (", saying")."""

SPEECH_NOUNS = _words(
    "reply answer rejoinder retort response remark comment observation exclamation "
    "words question inquiry enquiry demand greeting salutation"
)
"""Nouns naming what was said, in a tag like ``," was my reply``."""

HONORIFICS: dict[str, Gender] = {
    "mr": "male", "mr.": "male", "mister": "male", "monsieur": "male", "m.": "male",
    "sir": "male", "lord": "male", "señor": "male", "senor": "male", "signor": "male",
    "signore": "male", "herr": "male", "don": "male", "master": "male", "uncle": "male",
    "father": "male", "brother": "male", "king": "male", "prince": "male", "duke": "male",
    "count": "male", "baron": "male", "mrs": "female", "mrs.": "female", "miss": "female",
    "ms": "female", "ms.": "female", "madame": "female", "mme": "female", "mme.": "female",
    "mademoiselle": "female", "mlle": "female", "mlle.": "female", "lady": "female",
    "señora": "female", "senora": "female", "señorita": "female", "signora": "female",
    "signorina": "female", "frau": "female", "fräulein": "female", "doña": "female",
    "aunt": "female", "mother": "female", "sister": "female", "queen": "female",
    "princess": "female", "duchess": "female", "countess": "female", "baroness": "female",
    "mistress": "female", "dame": "female", "dr": "unknown", "dr.": "unknown",
    "doctor": "unknown", "professor": "unknown", "prof.": "unknown", "colonel": "male",
    "captain": "male", "major": "male", "general": "male", "lieutenant": "male",
    "sergeant": "male", "inspector": "unknown", "constable": "male", "reverend": "male",
    "rev.": "male", "judge": "unknown", "saint": "unknown", "st.": "unknown",
    "capt": "male", "capt.": "male", "col": "male", "col.": "male", "gen": "male",
    "gen.": "male", "lieut": "male", "lieut.": "male", "sgt": "male", "sgt.": "male",
}  # fmt: skip
"""Titles before a name, lower-cased, with the gender they imply."""

TITLES = _words(
    "Mr. Mrs. Ms. Dr. Mme. Mlle. St. Rev. M. Miss Mister Madame Mademoiselle Monsieur "
    "monsieur madame mademoiselle Sir Lady Lord Se\u00f1or Se\u00f1ora Se\u00f1orita Signor "
    "Signora Signorina Herr Frau Fr\u00e4ulein Don Do\u00f1a Master Mistress Dame Aunt Uncle "
    "Colonel Captain Major General Lieutenant Sergeant Inspector Constable Doctor Professor "
    "Reverend Judge Father Mother Sister Brother King Queen Prince Princess Duke Duchess "
    "Count Countess Baron Baroness Capt. Col. Gen. Lieut. Sgt."
)
"""Titles as written before a name when the cast is found (French ones also lower-case)."""

DOT_OPTIONAL = frozenset(["Mr.", "Mrs.", "Ms.", "Dr.", "Mme.", "Mlle."])
"""Abbreviated titles also written without their full stop ("Mr Thorne")."""

ADDRESS_TITLES = frozenset(
    ["mr", "mrs", "ms", "miss", "mister", "mlle", "mme", "madame", "mademoiselle", "monsieur",
     "sir", "lady", "lord", "madam", "ma'am", "señor", "senor", "señora", "senora", "señorita",
     "signor", "signora", "signorina", "herr", "frau", "fräulein"]
)  # fmt: skip
"""Titles of address that name nobody by themselves: "Madame" alone in a speech tag is the
last person of that title named, "Madame" in a vocative is whoever is addressed."""

_SHORT_TITLES = {
    "dr": "doctor", "mr": "mister", "mme": "madame", "mlle": "mademoiselle", "capt": "captain",
    "col": "colonel", "gen": "general", "lieut": "lieutenant", "sgt": "sergeant",
    "rev": "reverend", "prof": "professor", "st": "saint",
}  # fmt: skip
TITLE_VARIANTS: dict[str, str] = {**_SHORT_TITLES, **{v: k for k, v in _SHORT_TITLES.items()}}
"""A title, lower-cased without its full stop, and the other way it is written: "Dr. Lowe"
and "Doctor Lowe" are one man."""

RANKS = frozenset(
    ["sir", "lady", "lord", "dame", "duke", "duchess", "count", "countess", "baron",
     "baroness", "king", "queen", "prince", "princess", "colonel", "captain", "major",
     "general", "lieutenant", "reverend", "judge", "professor", "doctor", "dr"]
)  # fmt: skip
"""Titles of rank: a person known by one is not called by a pet name in the narration."""

PARTICLES = (
    "de",
    "du",
    "des",
    "da",
    "di",
    "del",
    "della",
    "van",
    "von",
    "der",
    "le",
    "la",
    "d'",
    "O'",
)
"""Lower-case particles inside a surname ("Agnes de Vere"), when the cast is found."""

TAG_PARTICLES = ("de", "du", "da", "di", "van", "von", "le", "la")
"""The particles accepted inside a name read from a speech tag."""

PERSON_NOUNS: dict[str, Gender] = {
    "man": "male", "gentleman": "male", "boy": "male", "lad": "male", "fellow": "male",
    "husband": "male", "father": "male", "son": "male", "brother": "male", "uncle": "male",
    "king": "male", "prince": "male", "lord": "male", "waiter": "male", "monk": "male",
    "priest": "male", "host": "male", "landlord": "male", "nephew": "male", "grandfather": "male",
    "woman": "female", "lady": "female", "girl": "female", "wife": "female",
    "mother": "female", "daughter": "female", "sister": "female", "aunt": "female",
    "queen": "female", "princess": "female", "waitress": "female", "maid": "female",
    "hostess": "female", "landlady": "female", "niece": "female", "grandmother": "female",
    "widow": "female", "nun": "female", "duchess": "female", "mistress": "female",
    "child": "unknown", "stranger": "unknown", "barista": "unknown", "baker": "unknown",
    "clerk": "unknown", "servant": "unknown", "driver": "unknown", "officer": "unknown",
    "doctor": "unknown", "nurse": "female", "guard": "unknown", "soldier": "male",
    "student": "unknown", "teacher": "unknown", "artist": "unknown", "musician": "unknown",
    "patron": "unknown", "customer": "unknown", "visitor": "unknown", "figure": "unknown",
    "voice": "unknown", "policeman": "male", "porter": "male", "cabman": "male",
    "shopkeeper": "unknown", "owner": "unknown", "bartender": "unknown", "seller": "unknown",
    "vendor": "unknown", "friend": "unknown", "companion": "unknown", "youth": "male",
    "creature": "unknown", "person": "unknown", "photographer": "unknown", "painter": "unknown",
    "traveller": "unknown", "traveler": "unknown", "passenger": "unknown", "inspector": "unknown",
    "detective": "unknown", "captain": "male", "sailor": "male",
}  # fmt: skip
"""Nouns that describe a person, with the gender they imply."""

_MALE_NAMES = """
aaron adam adrian alan albert alejandro alex alexander alexandre alfred andre andrew
andré antoine anthony antonio archibald arthur augustus austin ben benjamin bernard bill
bob brian bruno carl carlos charles charlie christian christopher clement clément daniel
david dennis diego dominic donald douglas edgar edmund edward edwin emile émile eric ernest
étienne etienne eugene eugène felix félix fernando francis francisco frank françois francois
frederick gabriel george georges gerald gilbert giovanni giuseppe gregory guillaume gustave
guy harold harry henri henry herbert hugh hugo ian isaac jack jacob jacques james jason jean
jeremy jerry jim joe johann john jonathan jorge jose josé joseph joshua juan julian julien
karl kevin laurent lawrence leo leon léon leonard léonard leonce léonce louis luc luca lucas
luis manuel marc marcel marco mark martin matthew matthieu max michael michel miguel nathan
nicholas nicolas noah oliver oscar patrick paul pedro peter philip philippe pierre rafael
ralph raymond richard robert roger samuel sebastian sébastien simon stephen
steven theo théo thomas timothy tom tony victor vincent walter william yves tobias hans
friedrich wilhelm otto ivan dmitri sergei nikolai pablo javier alejandro ricardo roberto
alessandro lorenzo matteo marco enzo hector jules rené rene maurice gaston olivier
charles edmund gerard godfrey humphrey jasper jonas lionel rupert silas toby
wilfred winston
"""

_FEMALE_NAMES = """
abigail ada adele adèle agnes alice alicia alison amanda amelia amélie amy ana anastasia
andrea angela anna anne annie antoinette audrey barbara beatrice béatrice bella bertha
beth betty brigitte camille carmen caroline catherine cecilia cécile celeste céleste
charlotte chloe chloé claire clara claudine colette constance cora daisy danielle diana
dolores dora dorothy edith edna eleanor elena eliza elizabeth ella ellen eloise éloïse
elsa emily emilie émilie emma esther eugenie eugénie eva eve evelyn fanny florence frances
francesca françoise gabrielle genevieve geneviève georgiana georgina gertrude giulia grace
hannah harriet helen helene hélène henrietta ida irene isabel isabella isabelle jane janet
jeanne jennifer jessica jill joan josephine joséphine judith julia julie juliette
karen kate katherine kathleen kitty laura lauren lea léa leah lily lina linda lisa
lizzy louisa louise lucia lucie lucy lydia madeleine maggie margaret margot maria marie
marianne marguerite martha mary mathilde maud maude melanie mélanie mia michelle mildred
monique nadia nancy natalie nathalie nicole nina olga olivia pauline penelope priscilla
rachel rebecca rosa rose ruth sara sarah simone sofia sophia sophie stella susan suzanne
sylvie teresa thérèse therese valerie valérie vera victoria viktoria violet virginia
vivian yvonne zoe zoé adelaide amalia annette ariane aurélie aurelie bernadette
blanche chantal delphine elise élise estelle fleur gisèle giselle héloïse heloise inès
ines josette lucille manon margaux marine mireille nathalie noémie odette océane
paulette renée solange sylvie véronique veronique
"""

FIRST_NAMES: dict[str, Gender] = {
    **{n: "male" for n in _MALE_NAMES.split()},
    **{n: "female" for n in _FEMALE_NAMES.split()},
}
"""Common first names (lower-cased) and the gender they usually carry."""

STOP_CAPS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "but",
        "or",
        "nor",
        "for",
        "so",
        "yet",
        "if",
        "then",
        "than",
        "when",
        "while",
        "where",
        "what",
        "who",
        "whom",
        "whose",
        "which",
        "why",
        "how",
        "he",
        "she",
        "it",
        "they",
        "we",
        "you",
        "i",
        "me",
        "my",
        "mine",
        "his",
        "her",
        "hers",
        "its",
        "our",
        "ours",
        "your",
        "yours",
        "their",
        "theirs",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "now",
        "not",
        "no",
        "yes",
        "oh",
        "ah",
        "alas",
        "well",
        "indeed",
        "perhaps",
        "good",
        "dear",
        "sir",
        "madam",
        "ma'am",
        "mamma",
        "papa",
        "god",
        "heaven",
        "lord",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "first",
        "second",
        "last",
        "chapter",
        "book",
        "part",
        "volume",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "english",
        "french",
        "german",
        "italian",
        "american",
        "european",
        "spanish",
        "russian",
        "irish",
        "scotch",
        "scottish",
        "dutch",
        "greek",
        "latin",
        "portuguese",
        "chinese",
        "japanese",
        "mexican",
        "swedish",
        "danish",
        "polish",
        "turkish",
        "austrian",
        "prussian",
        "british",
        "egyptian",
        "arabic",
        "hebrew",
        "african",
        "swiss",
        "norwegian",
        "hungarian",
        "belgian",
        "canadian",
        "australian",
        "christmas",
        "easter",
        "as",
        "at",
        "by",
        "in",
        "on",
        "of",
        "to",
        "with",
        "from",
        "into",
        "upon",
        "after",
        "before",
        "all",
        "any",
        "both",
        "each",
        "every",
        "some",
        "such",
        "only",
        "just",
        "even",
        "also",
        "still",
        "again",
        "never",
        "ever",
        "always",
        "very",
        "too",
        "much",
        "many",
        "more",
        "most",
        "less",
        "other",
        "another",
        "same",
        "own",
        "do",
        "does",
        "did",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "shall",
        "should",
        "will",
        "would",
        "can",
        "could",
        "must",
        "might",
        "let",
        "go",
        "come",
        "look",
        "see",
        "say",
        "said",
        "tell",
        "told",
        "why",
        "what",
        "mrs",
        "mr",
        "miss",
        "ms",
        "dr",
        "st",
        "nothing",
        "something",
        "everything",
        "anything",
        "nobody",
        "somebody",
        "everybody",
        "anybody",
        "none",
        "thank",
        "thanks",
        "please",
        "pray",
        "hush",
        "hallo",
        "hello",
        "hullo",
        "yes",
        "sure",
        "certainly",
        "poor",
        "pooh",
        "nay",
        "aye",
        "ay",
        "hm",
        "humph",
        "bah",
        "upon",
        "whereas",
        "although",
        "though",
        "because",
        "since",
        "unless",
        "until",
        "whether",
        "besides",
        "meanwhile",
        "however",
        "therefore",
        "nevertheless",
        "moreover",
        "otherwise",
        "instead",
        "o",
        "mamma",
        "ha",
        "tut",
        "dear",
        "my",
        "our",
        "ho",
        "hey",
        "hi",
        "bravo",
        "fie",
        "goodbye",
        "good-bye",
        "farewell",
        "ladies",
        "gentlemen",
        "sirs",
        "miss",
        "madame",
        "monsieur",
        "mademoiselle",
        "heavens",
        "ah",
        "eh",
        "hum",
        "um",
        "ugh",
        "wow",
        "gosh",
    ]
)
"""Capitalised words that are never a name on their own."""

FUNCTION_WORDS = frozenset(
    _words(
        "the a an and but or he she it they we you i his her its our their this that there "
        "here what who which when where why how not no yes oh well"
    )
)
"""Words that never start a speaker's name, even in a speech tag ("said The ...")."""

AFTER_NAME = _words(
    "was had is has did could would should might must will shall can went came saw took "
    "made felt knew thought said says spoke stood sat ran looked smiled nodded laughed began "
    "gave got left told turned shook seemed and who himself herself"
)
"""Words that follow a person's name (besides any -ed verb): evidence that it names one."""

OBJECT_TAKERS = _words(
    "to at with for of by from on toward towards upon about into and like than saw see met "
    "watched asked told greeted thanked followed called"
)
"""Prepositions and verbs right before a name make it an object, not the subject."""

NICKNAMES: dict[str, str] = {
    "lizzy": "elizabeth", "lizzie": "elizabeth", "eliza": "elizabeth", "liz": "elizabeth",
    "beth": "elizabeth", "betsy": "elizabeth", "bess": "elizabeth", "kitty": "catherine",
    "kate": "catherine", "katie": "catherine", "tom": "thomas", "tommy": "thomas",
    "bill": "william", "will": "william", "willy": "william", "bob": "robert", "bobby": "robert",
    "dick": "richard", "rick": "richard", "jim": "james", "jimmy": "james", "jack": "john",
    "johnny": "john", "ned": "edward", "ted": "edward", "teddy": "edward", "harry": "henry",
    "hal": "henry", "charlie": "charles", "chuck": "charles", "sam": "samuel", "sally": "sarah",
    "polly": "mary", "molly": "mary", "peggy": "margaret", "meg": "margaret", "maggie": "margaret",
    "nell": "eleanor", "nelly": "eleanor", "fanny": "frances", "jenny": "jane",
    "cissy": "cecilia", "sophy": "sophia", "tony": "anthony", "andy": "andrew", "joe": "joseph",
    "mike": "michael", "nick": "nicholas", "dan": "daniel", "ben": "benjamin", "fred": "frederick",
    "freddy": "frederick", "alf": "alfred", "bert": "albert", "nan": "anne", "nancy": "anne",
    "annie": "anne", "becky": "rebecca", "patty": "martha", "abby": "abigail", "dolly": "dorothy",
    "dot": "dorothy", "gussie": "augusta", "lou": "louisa",
}  # fmt: skip
"""Common English pet names and the full first name they stand for."""


_EITHER_SEX = frozenset(["lou", "jo", "chris", "frankie", "billie", "jessie"])
"""Pet names as often a man's as a woman's (Lou: Louis or Louisa; Jo: Joseph or Josephine)."""


def given_name_gender(word: str) -> Gender:
    """The gender a first name or a pet name of one usually carries ("Fred": male)."""
    w = word.lower()
    if w in _EITHER_SEX:
        return "unknown"
    return FIRST_NAMES.get(w) or FIRST_NAMES.get(NICKNAMES.get(w, ""), "unknown")


PREPOSITIONS_OF_PLACE = _words(
    "in at on of to by from into with through across near under over behind"
)
"""Prepositions a noun may follow without being a sentence's subject ("a voice in the hall
cried": the hall is not who cried)."""

NOUN_PHRASE_ENDS = _words(
    "to as and or but with in into of at for from on upon by he she who while when then again now"
)
"""Words that end a noun phrase after "the": "the night editor as he smiled"."""

WRITINGS = _words(
    "letter note notice sign card telegram message paper newspaper inscription label placard "
    "poster advertisement headline"
)
"""Things that 'say' the words written on them ("the note said, ..."): never a speaker."""

PARENTHESIS_VERBS = _words(
    "suppose think say know believe hear fancy imagine understand fear hope trust presume "
    "expect grant daresay"
)
"""Verbs of a parenthesis after a name ("Mr. Pell, I suppose, is ruined"): with a pronoun
before them they make the name the subject of the sentence, not the person spoken to."""


EPITHETS = frozenset(
    ["old", "young", "little", "poor", "dear", "good", "big", "great", "fat", "tall", "lame"]
)
"""Adjectives written before a name as part of how a character is called ("Old Fezziwig",
"Young Tom", "Little Nell"): never a name by themselves."""
