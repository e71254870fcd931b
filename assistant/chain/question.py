"""What a question asks: which level, who approves or leads, how soon, what figure, what to do, whether allowed.

The offline answer leads with one sentence that answers exactly that, so the question
is read first: its asks (in the order asked), the level or warning colour it names, the
places it names, and whether it wants something the library never holds (a person's
phone number or name, a forecast).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.chain.glossary import Glossary, Term, language_of
from assistant.chain.terms import content_terms
from assistant.domain import Colour, Level


class Ask(enum.StrEnum):
    LEVEL = "level"  # 几级响应 / which level
    APPROVER = "approver"  # 由谁批准 / who approves
    LEADER = "leader"  # 谁指挥、谁负责 / who leads
    DEADLINE = "deadline"  # 多长时间内 / how soon
    THRESHOLD = "threshold"  # 标准、条件、多少以上 / what threshold
    COUNT = "count"  # 多少人 / how many
    PERMISSION = "permission"  # 能不能 / is it allowed
    ACTIONS = "actions"  # 怎么做 / what must be done
    CONTACT = "contact"  # 电话号码 / phone number
    PERSON = "person"  # 叫什么名字 / a person's name
    FORECAST = "forecast"  # 明天会不会下雨 / a forecast or live reading
    CAUSE = "cause"  # 原因是什么 / what caused
    WHEN = "when"  # 几点发生 / when did it happen: a moment, not a time limit
    GENERAL = "general"


# Cues in the order they are tried; the first cue of each kind that occurs marks an ask.
_CUES: dict[Ask, dict[str, str]] = {
    Ask.FORECAST: {
        "zh": r"明天|明日|后天|今晚|今夜|下周|本周末|这周末|天气预报|(会不会|是否会|会)(下|有)(雨|暴雨|雪|台风|大风)",
        "en": r"\btomorrow\b|\btonight\b|\bnext week\b|\bthis weekend\b|\bforecast\b|\bwill it (rain|snow)\b",
    },
    Ask.CONTACT: {
        "zh": r"电话|手机号|号码|联系方式|热线",
        "en": r"\bphone\b|\btelephone\b|\bmobile number\b|\bcontact (number|details)\b|\bhotline\b|\bnumber to call\b",
    },
    Ask.PERSON: {
        "zh": r"叫什么名字|叫什么|姓名|名字|哪位领导|现任.{0,12}是谁",
        "en": r"\bname of\b|\bwhat is the name\b|\bwho is the current\b|\bcurrently serves? as\b|\bwhat is .{0,20}'s name\b",
    },
    Ask.LEVEL: {
        "zh": r"几级|哪一级|哪级|什么级别|哪个级别|什么等级|哪个等级|响应级别|属于哪类|属于什么",
        "en": r"\bwhich (response )?level\b|\bwhat (response )?level\b|\bwhich grade\b|\bwhat grade\b|\blevel of response\b",
    },
    Ask.APPROVER: {
        "zh": r"谁批准|谁来批准|批准权限|谁审批|谁决定|谁来决定|谁宣布|谁签发|由谁.{0,6}(批准|决定|宣布|签发)",
        "en": r"\bwho (must |has to )?(approves?|authori[sz]es?|decides?|declares?|signs?( off)?)\b|\bwhose approval\b|\bapproved by whom\b",
    },
    Ask.LEADER: {
        "zh": r"谁(指挥|担任|负责|牵头|组织|主持|调查)|由谁(?!.{0,6}(批准|决定|宣布|签发))|哪个部门|哪些部门|哪个单位|哪些单位|通知谁",
        "en": r"\bwho (leads?|commands?|is in charge|heads?|is responsible|chairs?|directs?|coordinates?|organi[sz]es?|investigates?)\b|\bwhich (department|agency|body|unit)s?\b|\bwho (?:must|should|needs to) be (notified|informed|told|called)\b",
    },
    Ask.WHEN: {
        "zh": r"几点|几时几分|哪一天|哪天|几月几日|几号|什么时间|(?:什么时候|何时)(?:发生|出现|起火|着火|爆炸|进水|登陆|坍塌|接警|扑灭|塌方|漫坝|决口)"
        r"|是(?:什么时候|何时)[^，。；？?]{1,12}的",  # "是什么时候漫坝的": a past moment
        "en": r"\bwhat time\b|\bat what time\b|\bwhen did\b|\bwhen was\b|\bwhen were\b|\bwhat date\b|\bon what (?:day|date)\b",
    },
    Ask.DEADLINE: {
        "zh": r"多长时间|多久|几小时|几个小时|几分钟|多少分钟|多少小时|多少天|几天|多少日|时限|期限|什么时候|何时|多快",
        "en": r"\bhow soon\b|\bhow long\b|\bhow quickly\b|\bwithin how\b|\bhow many (hours|minutes|days)\b|\bdeadline\b|\btime limit\b|\bby when\b|\bwhen must\b",
    },
    Ask.THRESHOLD: {
        "zh": r"标准|阈值|限值|容许浓度|正常范围|界定|划分|启动条件|条件是什么|条件有哪些|多少.{0,3}以上|超过多少|达到多少|多少厘米|多少毫米|多深|多高|多大|多远|多少度",
        "en": r"\bthreshold\b|\bcriteri(a|on)\b|\bstandard\b|\bwhat counts as\b|\bdefined\b|\bnormal range\b|\bmaximum allowable\b|\blimit\b|\bconditions?\b|\btriggers?\b|\bhow (much|many) .{0,30}(or more|at least)\b|\b(at|from) (what|how many)\b|\bwhat (depth|temperature|concentration|level of|speed|height|rainfall|death toll)\b",
    },
    Ask.COUNT: {
        "zh": r"多少|几人|几个人",
        "en": r"\bhow many\b|\bhow much\b",
    },
    Ask.PERMISSION: {
        "zh": r"能不能|能否|可不可以|可以不|是否可以|是否允许|允不允许|能.{1,8}吗|可以.{1,8}吗",
        "en": r"^(can|may|is it (allowed|safe|ok))\b|\bcan (i|we|you|people|officers)\b|\bis it allowed\b|\ballowed to\b",
    },
    Ask.CAUSE: {
        "zh": r"原因|为什么|为何|起因|什么引起|怎么引起|什么导致|(?:被|由|因)什么(?:东西)?(?:点燃|引燃|引爆|点着|引发|造成)",
        "en": r"\bwhy\b|\bwhat caused\b|\bcauses? of\b|\bwhat led to\b",
    },
    Ask.ACTIONS: {
        "zh": r"怎么办|怎么做|怎样做|如何做|如何处置|怎么处置|怎样处置|如何应对|怎么应对|采取哪些|采取什么|哪些措施|什么措施|要做什么|应该做什么|应做什么|怎么处理|如何处理|注意什么|先.{1,10}还是|怎么撤离|如何撤离|要怎么|应当如何|应该如何"
        # "地铁要停运吗", "要不要疏散": whether a duty applies is answered by the duty itself
        r"|要不要|需不需要|是否(?:需要|要|应当?|必须)|(?:需要|要|应该|应当|必须)[^，。；？?、]{1,10}吗",
        "en": r"^(?:must|should)\b|^(?:do|does)\b.{1,60}\b(?:need|have) to\b|\bwhat (should|must|to do)\b|\bfirst thing\b|\bwhat to do\b|\bhow (should|must|do|to)\b|\bwhat (measures|steps|actions)\b|\bwhich (measures|steps|actions)\b|\bfirst\b.{0,30}\bor\b",
    },
}
# "What is the phone number" asks for a number; "how many" there is not a count.
_EXCLUSIVE = {
    Ask.CONTACT: (Ask.COUNT, Ask.THRESHOLD),
    Ask.PERSON: (Ask.LEADER,),
    Ask.THRESHOLD: (Ask.COUNT,),
    Ask.DEADLINE: (Ask.COUNT,),  # "多少日内" asks for a time limit
    Ask.WHEN: (Ask.DEADLINE, Ask.THRESHOLD),  # "几点开始发布的", "at what time": the moment, not a limit
}

# A grade word names a level when a kind of event follows ("重大事故", "重大、较大、一般事故").
_GRADED = r"(?=(?:、?(?:特别重大|重大|较大|一般))*[^，。；、]{0,4}(?:事故|事件|灾害|突发|地震|火灾|险情|等级))"
# "分为四级", "四级标准", "一级至四级", "Ⅰ、Ⅱ、Ⅲ、Ⅳ四级" count levels rather than name one.
_NOT_COUNT = r"(?<![为成至、ⅠⅡⅢⅣ哪])"
_NOT_SCALE = r"(?!标准|分级|制|至)"
_LEVELS = {
    Level.I: rf"{_NOT_COUNT}一级{_NOT_SCALE}|Ⅰ级|(?<![IV])I级|特别重大{_GRADED}",
    Level.II: rf"{_NOT_COUNT}二级{_NOT_SCALE}|Ⅱ级|(?<!I)II级|(?<!特别)重大{_GRADED}",
    Level.III: rf"{_NOT_COUNT}三级{_NOT_SCALE}|Ⅲ级|III级|较大{_GRADED}",
    Level.IV: rf"{_NOT_COUNT}四级{_NOT_SCALE}|Ⅳ级|IV级|一般{_GRADED}",
}
_LEVELS_EN = {
    Level.I: r"\blevel (i|1|one)\b|\bgrade (i|1)\b|\bclass (i|1)\b|\bfirst[- ]level\b",
    Level.II: r"\blevel (ii|2|two)\b|\bgrade (ii|2)\b|\bclass (ii|2)\b|\bsecond[- ]level\b",
    Level.III: r"\blevel (iii|3|three)\b|\bgrade (iii|3)\b|\bclass (iii|3)\b|\bthird[- ]level\b",
    Level.IV: r"\blevel (iv|4|four)\b|\bgrade (iv|4)\b|\bclass (iv|4)\b|\bfourth[- ]level\b",
}
# An officer's English for the grades (特别重大 especially serious, 重大 major, 较大 relatively major, 一般
# ordinary): read in questions only — a report's "major incident was declared" is no grade.
_EVENT_EN = r" (?:accident|event|incident|disaster|emergenc)"
# Geological hazards are graded by size (特大型 Ⅰ … 小型 Ⅳ); "大型活动", "大型水库" are no grade.
_SIZED = r"(?=(?:地质灾害|滑坡|泥石流|崩塌|地面塌陷|险情|灾情))"
_SIZE_GRADES = {
    Level.I: rf"特大型{_SIZED}",
    Level.II: rf"(?<!特)大型{_SIZED}",
    Level.III: rf"中型{_SIZED}",
    Level.IV: rf"小型{_SIZED}",
}
_GRADES_ASKED_EN = {
    Level.I: r"\b(?:especially|particularly|extraordinarily) (?:serious|major)\b",
    Level.II: rf"(?<!relatively )(?<!especially )(?<!particularly )\bmajor{_EVENT_EN}",
    Level.III: rf"\brelatively major\b|\blarger{_EVENT_EN}",
    Level.IV: rf"\b(?:ordinary|general){_EVENT_EN}",
}
_COLOURS = {
    Colour.RED: "红色|red",
    Colour.ORANGE: "橙色|orange",
    Colour.YELLOW: "黄色|yellow",
    Colour.BLUE: "蓝色|blue",
}
# Words that point at the pinned incident rather than at the library.
_DEICTIC = re.compile(
    r"现在|当前|目前|本次|这次|此次|这起|本起|该事件|本事件|这个事件|眼下|"
    r"\bnow\b|\bcurrent (incident|situation|event|alarm)\b|\bthis (incident|event|alarm|alert)\b",
    re.IGNORECASE,
)
_NOTIFY = re.compile(r"通知|通报|告知|notif|inform", re.IGNORECASE)
# "Who commands the headquarters?", "总指挥由谁担任？": the person in the post, not the body's duties.
_POST_HOLDER = re.compile(
    r"谁(?:来)?(?:担任|任|兼任)|(?:总指挥|指挥长|组长|主任)(?:是|由)谁|谁是.{0,12}(?:总指挥|指挥长|组长)"
    r"|\bwho (?:commands|heads|chairs|leads) the .{0,40}(?:headquarters|command|committee|group|team|office)\b"
    r"|\bwho is (?:the )?(?:commander|head|chair(?:man|person)?|leader)\b",
    re.IGNORECASE,
)
# Asking after a document of the place itself ("广州市的防汛预案…") rules out national fallbacks.
_OWN_DOCUMENT = re.compile(r"(预案|规定|办法|标准|条例)|\b(plan|rules?|regulations?)\b", re.IGNORECASE)


_ACTOR = re.compile(r"(?:要|应该|应当|需要|该|应)?(怎么做|做什么|如何做|采取什么措施|采取哪些措施|怎么办)")
_MODAL_TAIL = re.compile(r"(?:要|应该|应当|需要|该|应)+$")
# "怎么办" follows a situation as often as a unit ("燃气泄漏怎么办"): only a unit's name is an actor there.
_UNIT_TAIL = re.compile(
    r"(?:部门|单位|学校|医院|企业|公司|人员|居民|群众|局|委|办|队|站|中心|社区|街道|政府|指挥部|员|者)$"
)
_NOT_ACTORS = frozenset("应该 应当 需要 我们 现在 此时 这时 然后 接下来 首先".split())
_NUMERALS = "ⅠⅡⅢⅣ一二三四"
_LISTED = re.compile(rf"([{_NUMERALS}])(?=(?:[、和或]\s*[{_NUMERALS}])*[、和或]\s*[{_NUMERALS}]级)")
_RANGE = re.compile(r"([一二三四])至([一二三四])级")


def _spell_out(text: str) -> str:
    """ "Ⅰ、Ⅱ级" → "Ⅰ级、Ⅱ级"; "二至四级" → "二级三级四级": every listed level named in full."""
    order = "一二三四"

    def expand(match: re.Match[str]) -> str:
        first, last = order.index(match.group(1)), order.index(match.group(2))
        return "".join(f"{order[i]}级" for i in range(first, last + 1))

    return _LISTED.sub(r"\1级", _RANGE.sub(expand, text))


@lru_cache(maxsize=8192)
def levels_in(text: str) -> frozenset[Level]:
    """Response / severity grades a Chinese or English text names."""
    text = _spell_out(text)
    found = {level for level, pattern in _LEVELS.items() if re.search(pattern, text)}
    lowered = text.lower()
    found |= {level for level, pattern in _LEVELS_EN.items() if re.search(pattern, lowered)}
    return frozenset(found)


def _level_asked(text: str) -> Level | None:
    # "Ⅰ、Ⅱ级" and "一级" both name levels; a question normally names at most one.
    found = levels_in(text) | {lv for lv, pattern in _GRADES_ASKED_EN.items() if re.search(pattern, text.lower())}
    found |= {lv for lv, pattern in _SIZE_GRADES.items() if re.search(pattern, text)}
    return next(iter(found)) if len(found) == 1 else None


@dataclass(frozen=True)
class Question:
    text: str
    lang: str
    asks: tuple[Ask, ...]
    level: Level | None  # the grade the question names ("一级响应由谁批准")
    colour: Colour | None  # the warning colour it names ("红色预警后")
    places: tuple[Term, ...]
    terms: tuple[str, ...]  # content words (stopwords removed)
    about_incident: bool  # "现在应该启动几级响应？" — the pinned incident's own facts
    own_document: bool  # the question asks after a named place's own document
    actor: str = ""  # who is asked about ("…后，学校要怎么做？" → 学校): the answer must be about them
    focus: tuple[str, ...] = ()  # the event asked after ("…是被什么点燃的" → 点燃, 点火 …): the answer names it

    @property
    def asks_notification(self) -> bool:
        return bool(_NOTIFY.search(self.text))

    @property
    def asks_post_holder(self) -> bool:
        return bool(_POST_HOLDER.search(self.text))


def analyse(text: str, glossary: Glossary, lang: str | None = None) -> Question:
    """Read the question once; everything downstream works from this."""
    lang = lang or language_of(text)
    lowered = text.lower()
    hits: list[tuple[int, Ask]] = []
    for ask, cues in _CUES.items():
        match = re.search(cues["zh"], text) or re.search(cues["en"], lowered)
        if match:
            hits.append((match.start(), ask))
    present = {ask for _, ask in hits}
    for ask, excluded in _EXCLUSIVE.items():
        if ask in present:
            hits = [(pos, a) for pos, a in hits if a not in excluded]
    asks = tuple(a for _, a in sorted(hits)) or (Ask.GENERAL,)
    colour = next((c for c, p in _COLOURS.items() if re.search(p, lowered)), None)
    places = tuple(glossary.places(text, lang))
    return Question(
        text=text,
        lang=lang,
        asks=asks,
        level=_level_asked(text),
        colour=colour,
        places=places,
        terms=tuple(content_terms(text)),
        about_incident=bool(_DEICTIC.search(text)),
        own_document=bool(places) and bool(_OWN_DOCUMENT.search(text)),
        actor=_actor(text),
        focus=_focus(text),
    )


_FOCUS = re.compile(r"(?:被|由|因|用)什么(?:东西|物质|原因)?([\u4e00-\u9fff]{2})")
_NOT_FOCUS = frozenset("引起 导致 造成 引发 决定 负责 批准".split())  # the cause itself, not an event of it
# Ignition is written many ways: "静电放电点燃了气体", "排出火星，成为点火源", "遇到灶具明火发生爆炸".
_IGNITION = ("点燃", "引燃", "引爆", "点着", "点火", "火星", "火花", "明火")
_KIN = {word: _IGNITION for word in _IGNITION}


def _focus(text: str) -> tuple[str, ...]:
    """The event a "被什么X的" question asks the agent of: "…气体是被什么点燃的" → 点燃.

    The clause that names that event ("静电放电点燃了积聚的气体") answers; the clause about
    how the gas gathered shares more of the question's words but not the asked event.
    """
    match = _FOCUS.search(text)
    if not match or match.group(1) in _NOT_FOCUS:
        return ()
    return _KIN.get(match.group(1), (match.group(1),))


def _actor(text: str) -> str:
    """The unit or person an actions question asks about: the words opening the clause of "要怎么做"."""
    match = _ACTOR.search(text)
    if not match:
        return ""
    # The words just before it, after the last clause break or "…的" / "…后" ("…后北京市的学校怎么办" → 学校).
    actor = _MODAL_TAIL.sub("", re.split(r"[，,。；;的后]", text[: match.start()])[-1]).strip()
    if not 2 <= len(actor) <= 6 or actor in _NOT_ACTORS:
        return ""
    return actor if match.group(1) != "怎么办" or _UNIT_TAIL.search(actor) else ""
