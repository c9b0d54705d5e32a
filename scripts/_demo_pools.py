# ruff: noqa: INP001, E501, SIM905
"""Names, places, services and phrases that ``make_demo_data.py`` draws the demo from."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Rng = random.Random


def _digits(rng: Rng, count: int) -> str:
    return "".join(str(rng.randrange(10)) for _ in range(count))


@dataclass(frozen=True)
class Branch:
    country: str
    language: str
    currency: str
    office: str
    size: int
    men: list[str]
    women: list[str]
    surnames: list[str]
    mail: list[str]
    addresses: list[tuple[str, str, str]]
    staff: list[tuple[str, str]]
    prospects: list[str]
    phone_forms: list[Callable[[str], str]]
    mobile: Callable[[Rng], str]
    landline: Callable[[Rng], str]
    tax_id: Callable[[Rng], str]
    price_factor: Decimal
    price_step: Decimal = Decimal(1)
    revenue_unit: Decimal = Decimal(100_000)
    patronymics: list[str] = field(default_factory=list)

    def surname(self, rng: Rng, *, female: bool) -> str:
        name: str = rng.choice(self.surnames)
        if female and self.country == "RU":
            return name[:-2] + "ая" if name.endswith("ий") else name + "а"
        return name

    def patronymic(self, rng: Rng, *, female: bool) -> str:
        if not self.patronymics or rng.random() < 0.3:
            return ""
        stem: str = rng.choice(self.patronymics)
        return stem + ("на" if female else "ич")


def _ru_mobile(rng: Rng) -> str:
    codes = ["903", "905", "909", "912", "915", "916", "925", "926", "977", "985"]
    return rng.choice(codes) + _digits(rng, 7)


def _split(text: str, *sizes: int) -> list[str]:
    parts, at = [], 0
    for size in sizes:
        parts.append(text[at : at + size])
        at += size
    return parts


RU = Branch(
    country="RU", language="ru", currency="RUB", office="Москва, Тверская", size=95,
    men="Александр Алексей Андрей Дмитрий Иван Михаил Никита Сергей Владимир Павел Игорь Егор".split(),
    women="Анна Елена Ольга Наталья Татьяна Мария Екатерина Ирина Светлана Дарья Ксения Юлия".split(),
    surnames="Иванов Смирнов Кузнецов Попов Васильев Петров Соколов Михайлов Новиков Федоров Морозов Волков Лебедев Козлов Орлов Белов Зайцев Соловьёв Виноградов Богданов Жуковский Успенский".split(),
    patronymics="Александров Сергеев Владимиров Андреев Николаев Петров Иванов Михайлов".split(),
    mail=["mail.ru", "yandex.ru", "gmail.com", "bk.ru", "list.ru", "inbox.ru", "rambler.ru"],
    addresses=[
        ("Москва", "125009", "ул. Тверская, д. {n}"), ("Москва", "119034", "Пречистенка, {n}"),
        ("Москва", "105005", "ул. Бауманская, д. {n}, кв. 12"), ("Санкт-Петербург", "191186", "Невский пр., {n}"),
        ("Казань", "420111", "ул. Баумана, {n}"), ("Екатеринбург", "620014", "ул. Малышева, д. {n}"),
    ],
    staff=[("Ольга Морозова", "department_head"), ("Светлана Ким", "manager"), ("Игорь Белов", "manager")],
    prospects=["ООО «Вектор»", "ИП Сидоров", "АО «Техноград»", "ООО «Сфера»"],
    phone_forms=[
        lambda d: "8 ({}) {}-{}-{}".format(*_split(d, 3, 3, 2, 2)),
        lambda d: "+7 {} {} {} {}".format(*_split(d, 3, 3, 2, 2)),
        lambda d: f"8{d}",
        lambda d: "+7({}){}".format(*_split(d, 3, 7)),
        lambda d: "8-{}-{}-{}-{}".format(*_split(d, 3, 3, 2, 2)),
    ],
    mobile=_ru_mobile,
    landline=lambda rng: "495" + _digits(rng, 7),
    tax_id=lambda rng: str(rng.randrange(7700000000, 7799999999)),
    price_factor=Decimal(95), price_step=Decimal(50), revenue_unit=Decimal(1_000_000),
)  # fmt: skip

NO = Branch(
    country="NO", language="no", currency="NOK", office="Oslo, Grünerløkka", size=75,
    men="Ole Lars Jørgen Håkon Bjørn Ørjan Knut Magnus Sindre Even Eirik Øystein".split(),
    women="Ingrid Kari Solveig Ragnhild Åse Marte Silje Ingeborg Tone Sigrid Nora Mathilde".split(),
    surnames="Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Berg Haugen Bakken Dahl Sæther Strøm Lie Løvås Bråten Ødegård Aasen Myhre".split(),
    mail=["gmail.com", "online.no", "hotmail.com", "outlook.com", "live.no", "yahoo.no"],
    addresses=[
        ("Oslo", "0552", "Thorvald Meyers gate {n}"), ("Oslo", "0160", "Karl Johans gate {n}"),
        ("Bergen", "5003", "Strandgaten {n}"), ("Trondheim", "7011", "Kongens gate {n}"),
        ("Tromsø", "9008", "Storgata {n}"), ("Stavanger", "4006", "Kirkegata {n}"),
    ],
    staff=[("Kari Nordmann", "department_head"), ("Åse Bjørnstad", "manager"), ("Jørgen Løken", "manager")],
    prospects=["Fjellvåken AS", "Bølgeblikk AS", "Havørn Konsult", "Lysglimt ENK"],
    phone_forms=[
        lambda d: "{} {} {}".format(*_split(d, 3, 2, 3)),
        lambda d: "+47 {} {} {}".format(*_split(d, 3, 2, 3)),
        lambda d: f"+47{d}",
        lambda d: f"0047 {d}",
        lambda d: "{} {} {} {}".format(*_split(d, 2, 2, 2, 2)),
    ],
    mobile=lambda rng: rng.choice("49") + _digits(rng, 7),
    landline=lambda rng: "22" + _digits(rng, 6),
    tax_id=lambda rng: "{} {} {}".format(*_split(str(rng.randrange(910000000, 999999999)), 3, 3, 3)),
    price_factor=Decimal("11.5"), price_step=Decimal(10),
)  # fmt: skip

ES = Branch(
    country="ES", language="es", currency="EUR", office="Madrid, Chamberí", size=70,
    men="José Antonio Manuel Francisco Javier Jesús Alejandro Íñigo Sergio Álvaro Raúl Martín".split(),
    women="María Lucía Carmen Ana Laura Marta Cristina Paula Sofía Begoña Nuria Inés".split(),
    surnames=["García López", "Martínez Ruiz", "Fernández", "González Díaz", "Rodríguez", "Sánchez Pérez",
              "Muñoz", "Jiménez Gil", "Núñez", "Ibáñez Soto", "Castaño", "Peña Morales", "Álvarez",
              "Ortiz de Zárate", "Romero", "Gómez Navarro"],
    mail=["gmail.com", "hotmail.es", "yahoo.es", "outlook.es", "telefonica.net"],
    addresses=[
        ("Madrid", "28010", "Calle de Fuencarral, {n}"), ("Madrid", "28004", "Calle de Hortaleza {n}, 2º B"),
        ("Barcelona", "08007", "Passeig de Gràcia, {n}"), ("Valencia", "46002", "Calle de la Paz, {n}"),
        ("Sevilla", "41004", "Avenida de la Constitución, {n}"), ("Málaga", "29005", "Calle Larios {n}"),
    ],
    staff=[("Begoña Ruiz", "department_head"), ("Nuria Castaño", "manager"), ("Íñigo Ibarra", "manager")],
    prospects=["Montañas Verdes S.L.", "Grupo Añil S.A.", "Cafés Señorío S.L.", "Autónomo Gil"],
    phone_forms=[
        lambda d: "{} {} {} {}".format(*_split(d, 3, 2, 2, 2)),
        lambda d: "{} {} {}".format(*_split(d, 3, 3, 3)),
        lambda d: "+34 {} {} {}".format(*_split(d, 3, 3, 3)),
        lambda d: f"0034 {d}",
        lambda d: "{}-{}-{}".format(*_split(d, 3, 3, 3)),
    ],
    mobile=lambda rng: "6" + _digits(rng, 8),
    landline=lambda rng: "91" + _digits(rng, 7),
    tax_id=lambda rng: f"B{rng.randrange(10000000, 99999999)}",
    price_factor=Decimal(1), price_step=Decimal("0.5"),
)  # fmt: skip

US = Branch(
    country="US", language="en", currency="USD", office="New York, Brooklyn", size=40,
    men="James Michael Robert David William Daniel Christopher Matthew Anthony Kevin".split(),
    women="Jennifer Emily Jessica Ashley Sarah Amanda Megan Rachel Lauren Olivia".split(),
    surnames="Smith Johnson Williams Brown Miller Davis Wilson Anderson Taylor Thomas Moore Jackson Martin Lee Thompson".split(),
    mail=["gmail.com", "yahoo.com", "outlook.com", "aol.com", "icloud.com"],
    addresses=[
        ("New York", "11201", "{n} Court Street"), ("New York", "10011", "{n} W 14th St, Apt 3C"),
        ("Brooklyn", "11215", "{n} 7th Avenue"), ("Jersey City", "07302", "{n} Newark Ave"),
    ],
    staff=[("Rachel Green", "department_head"), ("Marcus Hill", "manager"), ("Tony Russo", "manager")],
    prospects=["Bluebird Dental LLC", "Metro Movers Inc.", "Sunrise Yoga Studio"],
    phone_forms=[
        lambda d: "({}) {}-{}".format(*_split(d, 3, 3, 4)),
        lambda d: "{}-{}-{}".format(*_split(d, 3, 3, 4)),
        lambda d: "+1 {} {} {}".format(*_split(d, 3, 3, 4)),
        lambda d: "{}.{}.{}".format(*_split(d, 3, 3, 4)),
        lambda d: "1 ({}) {}-{}".format(*_split(d, 3, 3, 4)),
    ],
    mobile=lambda rng: rng.choice(["212", "646", "718", "917", "347", "332", "929"]) + f"55501{rng.randrange(100):02d}",
    landline=lambda rng: rng.choice(["212", "718"]) + f"55501{rng.randrange(100):02d}",
    tax_id=lambda rng: f"{rng.randrange(10, 99)}-{rng.randrange(1000000, 9999999)}",
    price_factor=Decimal("1.2"),
)  # fmt: skip

GB = Branch(
    country="GB", language="en", currency="GBP", office="London, Shoreditch", size=22,
    men="Oliver George Harry Jack Charlie Thomas Seán Alfie".split(),
    women="Amelia Olivia Isla Emily Poppy Ava Siobhán Charlotte".split(),
    surnames="Clarke Wright Walker Hughes Edwards Evans Roberts Wood Hall Harris O'Neill".split(),
    mail=["gmail.com", "btinternet.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk"],
    addresses=[
        ("London", "E1 6AN", "{n} Brick Lane"), ("London", "N1 9GU", "{n} Upper Street"),
        ("Manchester", "M1 1AE", "{n} Piccadilly"),
    ],
    staff=[("Emma Walsh", "department_head"), ("Priya Shah", "manager")],
    prospects=["Camden Print Ltd", "Riverside Cafe"],
    phone_forms=[
        lambda d: "0{} {}".format(*_split(d, 4, 6)),
        lambda d: "+44 {} {}".format(*_split(d, 4, 6)),
        lambda d: "+44 (0){} {}".format(*_split(d, 4, 6)),
        lambda d: f"0{d}",
    ],
    mobile=lambda rng: "7" + rng.choice(["4", "5", "7", "8", "9"]) + _digits(rng, 8),
    landline=lambda rng: "2079460" + _digits(rng, 3),
    tax_id=lambda rng: f"{rng.randrange(1000000, 9999999):08d}",
    price_factor=Decimal("0.9"),
)  # fmt: skip

BRANCHES = [RU, NO, ES, US, GB]

COMPANIES = [
    ("RU", "ООО «Северный ветер»", "ООО", "severveter.ru", "logistics"),
    ("RU", "АО «Уралтехснаб»", "АО", "uraltehsnab.ru", "wholesale"),
    ("RU", "ООО «Ромашка»", "ООО", "romashka-flowers.ru", "retail"),
    ("RU", "ПАО «Волга-Транс»", "ПАО", "volga-trans.ru", "logistics"),
    ("RU", "ООО «ТК Магистраль»", "ООО", "tk-magistral.ru", "logistics"),
    ("RU", "ИП Кузнецов А. В.", "ИП", "kuznetsov-auto.ru", "taxi"),
    ("RU", "ООО «Салон Лотос»", "ООО", "lotos-salon.ru", "beauty"),
    ("RU", "ООО «Автопарк Восток»", "ООО", "avtopark-vostok.ru", "car rental"),
    ("RU", "ЗАО «Медиагруппа Орбита»", "ЗАО", "orbita-media.ru", "media"),
    ("RU", "ООО «СтройИнвест»", "ООО", "stroyinvest.ru", "construction"),
    ("RU", "ООО «Белый медведь»", "ООО", "belmed.ru", "hospitality"),
    ("RU", "АО «Логистика Плюс»", "АО", "logistika-plus.ru", "logistics"),
    ("NO", "Fjordkraft Logistikk AS", "AS", "fjordlogistikk.no", "logistics"),
    ("NO", "Bølgen & Moi AS", "AS", "bolgenogmoi.no", "hospitality"),
    ("NO", "Nordlys Eiendom AS", "AS", "nordlys-eiendom.no", "real estate"),
    ("NO", "Bergen Taxi AS", "AS", "bergentaxi.no", "taxi"),
    ("NO", "Trøndelag Transport AS", "AS", "trondelagtransport.no", "logistics"),
    ("NO", "Skog og Hage ASA", "ASA", "skogoghage.no", "retail"),
    ("NO", "Havbris Frisør AS", "AS", "havbris.no", "beauty"),
    ("NO", "Oslo Bilutleie AS", "AS", "oslobilutleie.no", "car rental"),
    ("NO", "Sørlandet Rør AS", "AS", "sorlandetror.no", "construction"),
    ("NO", "Kystmat Norge AS", "AS", "kystmat.no", "food"),
    ("ES", "Transportes Gómez S.L.", "S.L.", "transportesgomez.es", "logistics"),
    ("ES", "Peluquerías Alhambra S.L.", "S.L.", "alhambra-pelu.es", "beauty"),
    ("ES", "Distribuciones Ibéricas S.A.", "S.A.", "dist-ibericas.es", "wholesale"),
    ("ES", "Construcciones Muñoz S.L.", "S.L.", "construccionesmunoz.es", "construction"),
    ("ES", "Taxis Sevilla S.L.", "S.L.", "taxisevilla.es", "taxi"),
    ("ES", "Clínica Dental Sonrisa S.L.", "S.L.", "clinicasonrisa.es", "healthcare"),
    ("ES", "Hoteles Costa del Sol S.A.", "S.A.", "hotelescostadelsol.es", "hospitality"),
    ("ES", "Logística Ñandú S.L.", "S.L.", "logisticanandu.es", "logistics"),
    ("ES", "Autoescuela Triana S.L.", "S.L.", "autoescuelatriana.es", "education"),
    ("US", "Hudson Fleet Services Inc.", "Inc.", "hudsonfleet.com", "logistics"),
    ("US", "Brightside Media LLC", "LLC", "brightsidemedia.com", "media"),
    ("US", "Empire Courier Inc.", "Inc.", "empirecourier.com", "logistics"),
    ("US", "Greenleaf Spa Group LLC", "LLC", "greenleafspa.com", "beauty"),
    ("US", "Liberty Cab Co.", "Co.", "libertycab.com", "taxi"),
    ("US", "Acme Rentals Inc.", "Inc.", "acmerentals.com", "car rental"),
    ("GB", "Thames Courier Ltd", "Ltd", "thamescourier.co.uk", "logistics"),
    ("GB", "Kensington Hair Studio Ltd", "Ltd", "kensingtonhair.co.uk", "beauty"),
    ("GB", "Albion Logistics PLC", "PLC", "albionlogistics.co.uk", "logistics"),
]

# (code, category, base price in EUR)
SERVICES = {
    "salon": [("cut_w", "hair", 35), ("cut_m", "hair", 22), ("colour", "hair", 80),
              ("manicure", "nails", 25), ("pedicure", "nails", 35), ("facial", "cosmetology", 55),
              ("massage", "massage", 45)],
    "auto": [("oil", "maintenance", 60), ("tyres", "tyres", 50), ("diagnostics", "diagnostics", 40),
             ("brakes", "repair", 120), ("alignment", "tyres", 70)],
}  # fmt: skip
PRODUCTS = {
    "salon": [("shampoo", "retail", 18), ("hair_mask", "retail", 24)],
    "auto": [("motor_oil", "retail", 45), ("wipers", "retail", 20)],
}
# (code, base price in EUR per unit, recurrence)
DEALS = [("fleet", 900, "annual"), ("gift_cards", 300, "one_time"), ("tyre_hotel", 200, "one_time")]

_EN_ITEMS = {
    "cut_w": "Women's haircut", "cut_m": "Men's haircut", "colour": "Colouring",
    "manicure": "Manicure", "pedicure": "Pedicure", "facial": "Facial", "massage": "Back massage",
    "oil": "Oil change", "tyres": "Tyre change", "diagnostics": "Diagnostics",
    "brakes": "Brake pads", "alignment": "Wheel alignment", "shampoo": "Shampoo",
    "hair_mask": "Hair mask", "motor_oil": "Motor oil 5W-30, 4 l", "wipers": "Wiper blades",
}  # fmt: skip
_EN: dict[str, Any] = {
    "roles": ["CEO", "Purchasing manager", "Fleet manager", "Office manager", "HR director"],
    "deals": {"fleet": "fleet maintenance", "gift_cards": "employee gift cards", "tyre_hotel": "tyre storage"},
    "items": _EN_ITEMS,
    "tickets": {
        "quality": ["Unhappy with the colour result", "Noise after the brake job"],
        "booking": ["Appointment cancelled without notice", "Can't book online"],
        "billing": ["Charged twice", "Refund request"],
        "app": ["App login fails", "Loyalty points missing in the app"],
        "warranty": ["Warranty repair request"],
    },
    "comments": {"good": ["Great service!", "Friendly staff, will come back"],
                 "bad": ["Waited 40 minutes", "Too expensive for what it was"]},
    "activities": {"call": "Intro call", "meeting": "Meeting at their office", "email": "Sent the offer",
                   "demo": "Showed the fleet portal", "note": "Budget approved next quarter",
                   "sms": "Reminder about the visit"},
}  # fmt: skip
LOCAL: dict[str, dict[str, Any]] = {
    "RU": {
        "roles": ["Генеральный директор", "Главный бухгалтер", "Менеджер по закупкам", "Начальник автопарка", "Офис-менеджер"],
        "deals": {"fleet": "обслуживание автопарка", "gift_cards": "подарочные сертификаты для сотрудников", "tyre_hotel": "сезонное хранение шин"},
        "items": {
            "cut_w": "Женская стрижка", "cut_m": "Мужская стрижка", "colour": "Окрашивание",
            "manicure": "Маникюр", "pedicure": "Педикюр", "facial": "Чистка лица", "massage": "Массаж спины",
            "oil": "Замена масла", "tyres": "Шиномонтаж", "diagnostics": "Компьютерная диагностика",
            "brakes": "Замена тормозных колодок", "alignment": "Развал-схождение", "shampoo": "Шампунь",
            "hair_mask": "Маска для волос", "motor_oil": "Моторное масло 5W-30, 4 л", "wipers": "Щётки стеклоочистителя",
        },
        "tickets": {
            "quality": ["Недовольна результатом окрашивания", "Стук после замены колодок"],
            "booking": ["Запись отменили без предупреждения", "Не получается записаться онлайн"],
            "billing": ["Списали оплату дважды", "Прошу вернуть деньги"],
            "app": ["Не могу войти в приложение", "Не начислены бонусы"],
            "warranty": ["Гарантийный ремонт"],
        },
        "comments": {"good": ["Всё отлично, спасибо мастеру!", "Быстро и качественно"],
                     "bad": ["Долго ждал(а) в очереди", "Дорого"]},
        "activities": {"call": "Первый звонок", "meeting": "Встреча в офисе клиента", "email": "Отправили КП",
                       "demo": "Показали личный кабинет автопарка", "note": "Бюджет утвердят в следующем квартале",
                       "sms": "Напоминание о визите"},
    },
    "NO": {
        "roles": ["Daglig leder", "Innkjøpssjef", "Flåtesjef", "Kontorleder", "Økonomisjef"],
        "deals": {"fleet": "vedlikehold av bilpark", "gift_cards": "gavekort til ansatte", "tyre_hotel": "dekkhotell"},
        "items": {
            "cut_w": "Dameklipp", "cut_m": "Herreklipp", "colour": "Farging", "manicure": "Manikyr",
            "pedicure": "Pedikyr", "facial": "Ansiktsbehandling", "massage": "Ryggmassasje",
            "oil": "Oljeskift", "tyres": "Dekkskift", "diagnostics": "Feilsøking",
            "brakes": "Bytte av bremseklosser", "alignment": "Hjulstilling", "shampoo": "Sjampo",
            "hair_mask": "Hårkur", "motor_oil": "Motorolje 5W-30, 4 l", "wipers": "Vindusviskerblader",
        },
        "tickets": {
            "quality": ["Misfornøyd med fargen", "Ulyd etter bremsebytte"],
            "booking": ["Timen ble avlyst uten beskjed", "Får ikke bestilt time på nett"],
            "billing": ["Trukket to ganger", "Ønsker refusjon"],
            "app": ["Får ikke logget inn i appen", "Bonuspoeng mangler"],
            "warranty": ["Garantireparasjon"],
        },
        "comments": {"good": ["Kjempefornøyd!", "Hyggelig betjening, kommer tilbake"],
                     "bad": ["Måtte vente lenge", "Altfor dyrt"]},
        "activities": {"call": "Første samtale", "meeting": "Møte hos kunden", "email": "Sendte tilbud",
                       "demo": "Viste flåteportalen", "note": "Budsjett godkjennes neste kvartal",
                       "sms": "Påminnelse om time"},
    },
    "ES": {
        "roles": ["Director general", "Jefe de compras", "Responsable de flota", "Administrativa", "Directora financiera"],
        "deals": {"fleet": "mantenimiento de flota", "gift_cards": "tarjetas regalo para empleados", "tyre_hotel": "almacenaje de neumáticos"},
        "items": {
            "cut_w": "Corte de señora", "cut_m": "Corte de caballero", "colour": "Tinte",
            "manicure": "Manicura", "pedicure": "Pedicura", "facial": "Limpieza facial",
            "massage": "Masaje de espalda", "oil": "Cambio de aceite", "tyres": "Cambio de neumáticos",
            "diagnostics": "Diagnóstico electrónico", "brakes": "Cambio de pastillas de freno",
            "alignment": "Alineación", "shampoo": "Champú", "hair_mask": "Mascarilla capilar",
            "motor_oil": "Aceite de motor 5W-30, 4 l", "wipers": "Escobillas limpiaparabrisas",
        },
        "tickets": {
            "quality": ["No estoy contenta con el tinte", "Ruido después del cambio de frenos"],
            "booking": ["Cancelaron mi cita sin avisar", "No puedo reservar en línea"],
            "billing": ["Cobro duplicado", "Solicito un reembolso"],
            "app": ["No puedo entrar en la app", "Faltan puntos de fidelidad"],
            "warranty": ["Reparación en garantía"],
        },
        "comments": {"good": ["¡Muy buen servicio!", "Personal muy amable"],
                     "bad": ["Esperé demasiado", "Muy caro para lo que es"]},
        "activities": {"call": "Primera llamada", "meeting": "Reunión en su oficina", "email": "Enviada la oferta",
                       "demo": "Demostración del portal de flota", "note": "Aprobarán el presupuesto el próximo trimestre",
                       "sms": "Recordatorio de la cita"},
    },
    "US": {**_EN, "items": {**_EN_ITEMS, "colour": "Coloring", "tyres": "Tire change", "motor_oil": "Motor oil 5W-30, 1 gal"},
           "deals": {**_EN["deals"], "tyre_hotel": "tire storage"}},
    "GB": _EN,
}  # fmt: skip

# (original, duplicate): one client entered twice, spelled and written differently.
DUPLICATES = [
    ({"country": "RU", "first_name": "Юлия", "last_name": "Иванова", "middle_name": "Сергеевна", "gender": "female", "phone": "8 (912) 345-67-89", "email": "yulia.ivanova@mail.ru"},
     {"country": "RU", "first_name": "Iuliia", "last_name": "Ivanova", "middle_name": "", "gender": "female", "phone": "+7 912 345 67 89", "email": "", "language": "en"}),
    ({"country": "NO", "first_name": "Håkon", "last_name": "Bråten", "gender": "male", "phone": "", "email": "hakon.braten@online.no"},
     {"country": "NO", "first_name": "Haakon", "last_name": "Braaten", "gender": "male", "phone": "", "email": " Hakon.Braten@ONLINE.NO"}),
    ({"country": "ES", "first_name": "José", "last_name": "Núñez", "gender": "male", "phone": "612 34 56 78", "email": "jose.nunez@gmail.com"},
     {"country": "ES", "first_name": "JOSE", "last_name": "NUNEZ", "gender": "male", "phone": "+34 612-345-678", "email": ""}),
    ({"country": "RU", "first_name": "Алексей", "last_name": "Смирнов", "middle_name": "Игоревич", "gender": "male", "phone": "8 916 123-45-67", "email": "a.smirnov@yandex.ru"},
     {"country": "RU", "first_name": "Aleksey", "last_name": "Smirnov", "middle_name": "", "gender": "male", "phone": "+7(916)1234567", "email": "", "language": "en"}),
    ({"country": "GB", "first_name": "Seán", "last_name": "O'Brien", "gender": "male", "phone": "07911 123456", "email": "sean.obrien@btinternet.com"},
     {"country": "GB", "first_name": "Sean", "last_name": "OBrien", "gender": "male", "phone": "", "email": "sean.obrien@btinternet.com "}),
    ({"country": "NO", "first_name": "Ørjan", "last_name": "Sæther", "gender": "male", "phone": "+47 412 34 567", "email": ""},
     {"country": "NO", "first_name": "Orjan", "last_name": "Saether", "gender": "male", "phone": "41234567", "email": "orjan.saether@gmail.com"}),
]  # fmt: skip
