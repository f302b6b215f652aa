"""What a book's language decides beyond its fonts: the direction its text runs, and the
words the toolkit writes itself ("Contents", "By"), in the book's language where we have
them and tagged as English where we do not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

RTL = frozenset({"ar", "fa", "ur", "ps", "sd", "ug", "ckb", "he", "yi", "lad", "dv", "syr"})
DIRECTIONS = ("ltr", "rtl", "auto")
FALLBACK = "en"
# Character ranges of the scripts written without spaces between words, whose lines break
# between characters: Thai and Lao, Myanmar, Khmer, CJK (radicals to ideographs, kana),
# Hangul syllables and CJK compatibility ideographs (for a regex character class)
UNSPACED_SCRIPTS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uac00-\ud7af"
                    "\uf900-\ufaff")


def direction(language: str) -> str:
    """`rtl` for a language written right to left (Arabic, Hebrew, Persian, Urdu...)."""
    return "rtl" if primary(language) in RTL else "ltr"


def primary(language: str) -> str:
    """The primary subtag of a language tag, lower case: `zh` of `zh-Hant-TW`."""
    return language.split("-")[0].lower()


@dataclass(frozen=True, slots=True)
class Term:
    """A toolkit word in the language it is written in."""

    text: str
    language: str


# English, then each language we translate into; "{}" holds a value.
TERMS: dict[str, dict[str, str]] = {
    "Contents": {
        "ar": "المحتويات", "fa": "فهرست مطالب", "ur": "فہرست", "he": "תוכן העניינים",
        "hi": "विषय सूची", "ja": "目次", "zh": "目录", "zh-hant": "目錄", "ko": "목차",
        "th": "สารบัญ", "el": "Περιεχόμενα", "ru": "Содержание",
        "vi": "Mục lục",
    },
    "Cover": {
        "ar": "الغلاف", "fa": "جلد", "ur": "سرورق", "he": "כריכה", "hi": "आवरण", "ja": "表紙",
        "zh": "封面", "ko": "표지", "th": "ปก", "el": "Εξώφυλλο", "ru": "Обложка",
        "vi": "Bìa",
    },
    "Landmarks": {
        "ar": "معالم الكتاب", "fa": "نشانه‌ها", "ur": "نشانات", "he": "ציוני דרך",
        "hi": "प्रमुख स्थान", "ja": "ランドマーク", "zh": "地标", "zh-hant": "地標",
        "ko": "랜드마크", "th": "จุดสังเกต", "el": "Ορόσημα", "ru": "Ориентиры",
        "vi": "Mốc định hướng",
    },
    "Start of Content": {
        "ar": "بداية المحتوى", "fa": "آغاز متن", "ur": "متن کا آغاز", "he": "תחילת התוכן",
        "hi": "सामग्री का आरंभ", "ja": "本文の始まり", "zh": "正文开始", "zh-hant": "正文開始",
        "ko": "본문 시작", "th": "เริ่มเนื้อหา", "el": "Αρχή περιεχομένου", "ru": "Начало текста",
        "vi": "Bắt đầu nội dung",
    },
    "Notes": {
        "ar": "الحواشي", "fa": "یادداشت‌ها", "ur": "حواشی", "he": "הערות", "hi": "टिप्पणियाँ",
        "ja": "注", "zh": "注释", "zh-hant": "註釋", "ko": "주석", "th": "หมายเหตุ",
        "el": "Σημειώσεις", "ru": "Примечания",
        "vi": "Ghi chú",
    },
    "Pages": {
        "ar": "الصفحات", "fa": "صفحه‌ها", "ur": "صفحات", "he": "עמודים", "hi": "पृष्ठ",
        "ja": "ページ", "zh": "页码", "zh-hant": "頁碼", "ko": "페이지", "th": "หน้า",
        "el": "Σελίδες", "ru": "Страницы",
        "vi": "Trang",
    },
    "Copyright": {
        "ar": "حقوق النشر", "fa": "حق نشر", "ur": "حقوق اشاعت", "he": "זכויות יוצרים",
        "hi": "कॉपीराइट", "ja": "著作権", "zh": "版权", "zh-hant": "版權", "ko": "저작권",
        "th": "ลิขสิทธิ์", "el": "Πνευματικά δικαιώματα", "ru": "Авторские права",
        "vi": "Bản quyền",
    },
    "By {}": {
        "ar": "بقلم {}", "fa": "نوشتهٔ {}", "ur": "از {}", "he": "מאת {}", "hi": "लेखक: {}",
        "ja": "文：{}", "zh": "作者：{}", "ko": "글: {}", "th": "โดย {}",
        "el": "Συγγραφέας: {}", "ru": "Автор: {}",
        "vi": "Tác giả: {}",
    },
    " and ": {
        "ar": " و", "fa": " و ", "ur": " اور ", "he": " ו", "hi": " और ", "ja": "、",
        "zh": "、", "ko": ", ", "th": " และ ", "el": " και ", "ru": " и ",
        "vi": " và ",
    },
    "Note {}": {
        "ar": "الحاشية {}", "fa": "یادداشت {}", "ur": "حاشیہ {}", "he": "הערה {}",
        "hi": "टिप्पणी {}", "ja": "注{}", "zh": "注释{}", "zh-hant": "註釋{}", "ko": "주석 {}",
        "th": "หมายเหตุ {}", "el": "Σημείωση {}", "ru": "Примечание {}",
        "vi": "Ghi chú {}",
    },
    "Back to note {} reference": {
        "ar": "العودة إلى موضع الحاشية {}", "fa": "بازگشت به ارجاع یادداشت {}",
        "ur": "حاشیہ {} کے حوالے پر واپس جائیں", "he": "חזרה להפניה להערה {}",
        "hi": "टिप्पणी {} के संदर्भ पर लौटें", "ja": "注{}の参照箇所に戻る",
        "zh": "返回注释{}的引用处", "zh-hant": "返回註釋{}的引用處",
        "ko": "주석 {} 참조 위치로 돌아가기",
        "th": "กลับไปยังที่อ้างอิงหมายเหตุ {}", "el": "Επιστροφή στην παραπομπή της σημείωσης {}",
        "ru": "Назад к ссылке на примечание {}",
        "vi": "Quay lại chỗ dẫn ghi chú {}",
    },
    "Published by {}": {
        "ar": "الناشر: {}", "fa": "ناشر: {}", "ur": "ناشر: {}", "he": "הוצאת {}",
        "hi": "प्रकाशक: {}", "ja": "発行：{}", "zh": "出版者：{}", "ko": "펴낸곳: {}",
        "th": "จัดพิมพ์โดย {}", "el": "Εκδόσεις {}", "ru": "Издательство: {}",
        "vi": "Nhà xuất bản: {}",
    },
    "First published {}": {
        "ar": "نُشر لأول مرة عام {}", "fa": "نخستین انتشار: {}", "ur": "پہلی اشاعت {}",
        "he": "יצא לאור לראשונה ב־{}", "hi": "प्रथम प्रकाशन {}", "ja": "初版 {}年",
        "zh": "首次出版于{}年", "zh-hant": "首次出版於{}年", "ko": "초판 {}년",
        "th": "พิมพ์ครั้งแรก ค.ศ. {}", "el": "Πρώτη έκδοση {}", "ru": "Впервые издано в {} году",
        "vi": "Xuất bản lần đầu năm {}",
    },
    "Cover of {}": {
        "ar": "غلاف {}", "fa": "جلد {}", "ur": "{} کا سرورق", "he": "הכריכה של {}",
        "hi": "{} का आवरण", "ja": "『{}』の表紙", "zh": "《{}》封面", "ko": "『{}』 표지",
        "th": "ปกของ {}", "el": "Εξώφυλλο: {}", "ru": "Обложка: {}",
        "vi": "Bìa sách {}",
    },
}

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
           "أكتوبر", "نوفمبر", "ديسمبر"),
    "he": ("בינואר", "בפברואר", "במרץ", "באפריל", "במאי", "ביוני", "ביולי", "באוגוסט",
           "בספטמבר", "באוקטובר", "בנובמבר", "בדצמבר"),
    "hi": ("जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर",
           "अक्टूबर", "नवंबर", "दिसंबर"),
    "th": ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม",
           "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม"),
    "el": ("Ιανουαρίου", "Φεβρουαρίου", "Μαρτίου", "Απριλίου", "Μαΐου", "Ιουνίου",
           "Ιουλίου", "Αυγούστου", "Σεπτεμβρίου", "Οκτωβρίου", "Νοεμβρίου", "Δεκεμβρίου"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"),
}
_NUMERIC_DATES = {"ja": "{y}年{m}月{d}日", "zh": "{y}年{m}月{d}日", "ko": "{y}년 {m}월 {d}일"}


def term(key: str, language: str) -> Term:
    """A toolkit word in the book's language, or in English when we have no translation."""
    known = TERMS.get(key, {})
    for tag in _candidates(language):
        if tag in known:
            return Term(known[tag], language)
    return Term(key, FALLBACK if primary(language) != FALLBACK else language)


def _candidates(language: str) -> tuple[str, ...]:
    """`zh-hant` then `zh` for zh-Hant-TW; Traditional Chinese for Taiwan and Hong Kong."""
    subtags = language.lower().split("-")
    traditional = subtags[0] == "zh" and any(t in ("hant", "tw", "hk", "mo") for t in subtags)
    return ("zh-hant", "zh") if traditional else (subtags[0],)


def long_date(iso: str, language: str) -> str:
    """A date as a reader of the language writes it: `28 March 2012`, `March 28, 2012` in US
    English, `2012年3月28日` in Japanese; the ISO date where we know no better."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    tag = primary(language)
    if tag in _NUMERIC_DATES:
        return _NUMERIC_DATES[tag].format(y=day.year, m=day.month, d=day.day)
    months = _MONTHS.get(tag)
    if months is None:
        return day.isoformat()
    month = months[day.month - 1]
    if language.lower() == "en-us":
        return f"{month} {day.day}, {day.year}"
    return f"{day.day} {month} {day.year}"
