"""The words other systems export for values custdb keeps as choices, and how one cell
holds several values.

- lifecycle stages as HubSpot, Salesforce and Russian CRMs label them
  (``Marketing Qualified Lead`` is ``mql``); genders; yes and no; country names; the
  labels of e-mails and phones (``Рабочий`` is ``work``);
- several values in one cell: ``a@x.no, b@y.no``, ``a; b``, or Google's
  ``* a@x.no ::: b@y.no`` where ``* `` marks the primary one (it comes first);
- a full name in one column, split in either order: a Russian ``Фамилия Имя
  Отчество`` is told by its patronymic (``-вич``, ``-вна``, ``-ична``, ``-оглы``,
  ``-кызы``), and ``Иванов Иван`` by a surname ending (``-ов``, ``-ева``, ``-ский``...) on
  the first word only; ``Last, First`` by its comma; otherwise ``First [Middle] Last``.
"""

from __future__ import annotations

import re

from custdb.io._headers import fold
from custdb.model import Gender, LifecycleStage

__all__ = ["COUNTRIES", "GENDERS", "LABELS", "STAGES", "YES_NO", "several", "split_full_name"]


def _words(pairs: dict[object, tuple[str, ...]]) -> dict[str, object]:
    return {fold(word): value for value, words in pairs.items() for word in words}


# fmt: off
STAGES = _words({
    LifecycleStage.SUBSCRIBER: ("Subscriber", "Подписчик", "Suscriptor", "Abonnent", "订阅者"),
    LifecycleStage.LEAD: ("Lead", "Лид", "Potencial", "Interessent", "潜在客户", "线索"),
    LifecycleStage.MQL: ("Marketing Qualified Lead", "MQL", "marketingqualifiedlead",
                         "Маркетинговый лид", "Lead cualificado para marketing"),
    LifecycleStage.SQL: ("Sales Qualified Lead", "SQL", "salesqualifiedlead",
                         "Квалифицированный лид", "Lead cualificado para ventas"),
    LifecycleStage.OPPORTUNITY: ("Opportunity", "Сделка", "Возможность", "Oportunidad",
                                 "Mulighet", "Verkaufschance", "商机"),
    LifecycleStage.CUSTOMER: ("Customer", "Client", "Клиент", "Покупатель", "Cliente",
                              "Kunde", "客户"),
    LifecycleStage.EVANGELIST: ("Evangelist", "Promoter", "Евангелист", "Evangelista"),
    LifecycleStage.FORMER_CUSTOMER: ("Former Customer", "Former customer", "Бывший клиент",
                                     "Antiguo cliente", "Ehemaliger Kunde"),
    LifecycleStage.OTHER: ("Other", "Другое", "Otro", "Annet", "Sonstiges", "其他"),
})
GENDERS = _words({
    Gender.FEMALE: ("F", "Female", "Woman", "W", "Ж", "Жен", "Женский", "Женщина", "Mujer",
                    "Femenino", "Kvinne", "K", "Weiblich", "Frau", "女"),
    Gender.MALE: ("M", "Male", "Man", "М", "Муж", "Мужской", "Мужчина", "Hombre", "Masculino",
                  "Mann", "Männlich", "Herr", "男"),
    Gender.OTHER: ("Other", "Diverse", "Divers", "Другой", "Otro", "Annet", "其他"),
    Gender.UNKNOWN: ("Unknown", "Не указан", "Desconocido", "Ukjent", "Unbekannt", "未知"),
})
YES_NO = _words({
    True: ("yes", "y", "true", "1", "да", "д", "sí", "si", "ja", "x", "✓", "是"),
    False: ("no", "n", "false", "0", "нет", "н", "nei", "nein", "否"),
})
LABELS = _words({
    "work": ("Work", "Business", "Office", "Рабочий", "Работа", "Trabajo", "Jobb", "Arbeid",
             "Arbeit", "Geschäftlich", "工作", "单位"),
    "home": ("Home", "Personal", "Private", "Домашний", "Личный", "Casa", "Personal", "Hjem",
             "Privat", "Zuhause", "住宅", "家庭", "个人"),
    "mobile": ("Mobile", "Cell", "Мобильный", "Сотовый", "Móvil", "Movil", "Celular", "Mobil",
               "Handy", "手机", "移动电话"),
    "other": ("Other", "Другой", "Otro", "Annet", "Andere", "其他"),
})
"""The label words of an e-mail or phone in Google's ``E-mail 1 - Label`` column."""

COUNTRIES = {fold(name): code for code, names in {
    "RU": ("Russia", "Russian Federation", "Россия", "РФ", "Российская Федерация", "Rusia",
           "Russland", "俄罗斯"),
    "KZ": ("Kazakhstan", "Казахстан", "Kasachstan"),
    "BY": ("Belarus", "Беларусь", "Белоруссия", "Bielorrusia", "Hviterussland", "Weißrussland"),
    "UA": ("Ukraine", "Украина", "Ucrania", "乌克兰"),
    "NO": ("Norway", "Norge", "Норвегия", "Noruega", "Norwegen", "挪威"),
    "SE": ("Sweden", "Sverige", "Швеция", "Suecia", "Schweden"),
    "DK": ("Denmark", "Danmark", "Дания", "Dinamarca", "Dänemark"),
    "FI": ("Finland", "Suomi", "Финляндия", "Finlandia", "Finnland"),
    "ES": ("Spain", "España", "Испания", "Spania", "Spanien", "西班牙"),
    "MX": ("Mexico", "México", "Мексика", "Mexiko", "墨西哥"),
    "AR": ("Argentina", "Аргентина", "Argentinien"),
    "DE": ("Germany", "Deutschland", "Германия", "Alemania", "Tyskland", "德国"),
    "AT": ("Austria", "Österreich", "Австрия"),
    "CH": ("Switzerland", "Schweiz", "Швейцария", "Suiza", "Sveits"),
    "FR": ("France", "Франция", "Francia", "Frankrike", "Frankreich", "法国"),
    "IT": ("Italy", "Italia", "Италия", "Italien", "意大利"),
    "GB": ("United Kingdom", "UK", "Great Britain", "England", "Великобритания",
           "Reino Unido", "Storbritannia", "Großbritannien", "英国"),
    "US": ("United States", "USA", "United States of America", "США", "Estados Unidos", "EE. UU.",
           "EEUU", "Vereinigte Staaten", "美国"),
    "CN": ("China", "Китай", "Kina", "中国"),
    "PL": ("Poland", "Polska", "Польша", "Polonia", "Polen"),
}.items() for name in (code, *names)}
# fmt: on

_SEPARATORS = re.compile(r"\s*(?::::|;|,)\s*")
_PATRONYMIC = re.compile(r"(вич|вна|чна|ична|оглы|кызы|uly|qyzy|vich|vna)$", re.IGNORECASE)
_SURNAME = re.compile(
    r"(ов|ова|ев|ева|ёв|ёва|ин|ина|ын|ына|ский|ская|цкий|цкая|енко|ко|ук|юк|ых|их|ян|дзе|швили)$",
    re.IGNORECASE,
)


def several(cell: str) -> list[str]:
    """The values of a cell that may hold several, the primary (``* ``-marked) first."""
    split = _SEPARATORS.split(cell)
    if len(split) == 1:  # one value, as most cells hold
        text = cell.strip()
        text = text[1:].strip() if text.startswith("*") else text
        return [text] if text else []
    parts = [p.strip() for p in split if p.strip()]
    primary = [p[1:].strip() for p in parts if p.startswith("*")]
    others = [p for p in parts if not p.startswith("*")]
    return [p for p in (*primary, *others) if p]


def split_full_name(text: str) -> dict[str, str]:
    """``first_name``, ``middle_name``, ``last_name`` of a name written in one cell."""
    if "," in text:
        last, _, first = (part.strip() for part in text.partition(","))
        words = first.split()
        return _named(words[0] if words else None, " ".join(words[1:]) or None, last or None)
    words = text.split()
    if len(words) == 1:
        return _named(words[0], None, None)
    if len(words) == 3 and _PATRONYMIC.search(words[2]):
        return _named(words[1], words[2], words[0])
    if len(words) == 3 and _PATRONYMIC.search(words[1]):
        return _named(words[0], words[1], words[2])
    if len(words) == 2 and _SURNAME.search(words[0]) and not _SURNAME.search(words[1]):
        return _named(words[1], None, words[0])  # Иванов Иван
    return _named(words[0], " ".join(words[1:-1]) or None, words[-1])


def _named(first: str | None, middle: str | None, last: str | None) -> dict[str, str]:
    parts = {"first_name": first, "middle_name": middle, "last_name": last}
    return {name: value for name, value in parts.items() if value}
