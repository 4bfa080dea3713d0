"""The interface language: Qt translators, the saved choice, and text in that language.

Source strings are Simplified Chinese (the default); English comes from
``resources/translations/caseworker_en.qm``. If that file has not been built, the app keeps
working in Chinese source text and the Settings page says why.

Three kinds of text reach the screen, and each has one way to the current language:

* the interface's own words: ``self.tr()`` in a QObject, or ``QCoreApplication.translate``
  with a literal context (module-level tables are marked with ``QT_TRANSLATE_NOOP`` and
  translated where they are shown), so ``make update-translations`` finds every one;
* reference data (code tables, schemes): ``code_label`` / ``entry_label`` / ``scheme_name``,
  which pick the table's own ``name_en`` in English; place names stay as they are;
* messages from the domain and services: ``message_for`` (``message_en``) and ``in_language``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from caseworker.domain.codes import CodeEntry, load_code_table
from caseworker.domain.errors import InvalidValue
from caseworker.resources import resource_path
from caseworker.ui.preferences import LANGUAGE

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"
_QT_LOCALES = {"zh": "zh_CN", "en": "en"}

_state: dict[str, object] = {"language": DEFAULT_LANGUAGE, "translators": []}


def saved_language() -> str:
    value = str(LANGUAGE.get())
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def save_language(code: str) -> None:
    LANGUAGE.put(code)


def current_language() -> str:
    return str(_state["language"])


def translation_file(code: str) -> Path:
    return resource_path("translations") / f"caseworker_{code}.qm"


def translation_missing(code: str) -> bool:
    """True when ``code`` needs a .qm file that is not there (Chinese never does)."""
    return code != DEFAULT_LANGUAGE and not translation_file(code).is_file()


def install_language(app: QCoreApplication, code: str) -> bool:
    """Switch every later ``tr()`` to ``code``; False if its translation file is missing.

    Qt's own strings (standard buttons, context menus) follow through qtbase's catalogue.
    Widgets already built keep their text: the main window rebuilds its pages afterwards.
    """
    if code not in LANGUAGES:
        code = DEFAULT_LANGUAGE
    for old in list(_state["translators"]):  # type: ignore[call-overload]
        app.removeTranslator(old)
    translators: list[QTranslator] = []
    qt_catalogue = QTranslator(app)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_catalogue.load(f"qtbase_{_QT_LOCALES[code]}", qt_folder):
        translators.append(qt_catalogue)
    ok = True
    if code != DEFAULT_LANGUAGE:
        ours = QTranslator(app)
        ok = ours.load(str(translation_file(code)))
        if ok:
            translators.append(ours)
    for translator in translators:
        app.installTranslator(translator)
    _state["translators"] = translators
    _state["language"] = code
    QLocale.setDefault(QLocale(_QT_LOCALES[code]))
    return ok


def message_for(error: BaseException) -> str:
    """The operator-facing text of a service or validation error in the current language."""
    chinese = getattr(error, "message", None) or str(error)
    if current_language() == "en":
        return getattr(error, "message_en", None) or chinese
    return chinese


def is_english() -> bool:
    return current_language() == "en"


def in_language(chinese: str | None, english: str | None) -> str:
    """``english`` in English when there is one, else ``chinese`` (never nothing)."""
    if is_english() and english:
        return english
    return chinese or english or ""


def entry_label(entry: CodeEntry) -> str:
    """A code-table entry's name in the current language (Chinese when it has no English)."""
    return in_language(entry.name_zh, entry.name_en)


def code_label(table: str, code: str | None) -> str:
    """The name of ``code`` in ``table``; an unknown code is shown as itself, never hidden."""
    if not code:
        return ""
    try:
        return entry_label(load_code_table(table).get(code))
    except InvalidValue:
        return code


def scheme_name(code: str) -> str:
    """A scheme's full name (城乡居民基本养老保险 / Urban and rural residents' basic pension)."""
    return code_label("scheme", code)


def scheme_short(code: str) -> str:
    """A scheme's short name for tables (居民养老 / Resident pension)."""
    try:
        entry = load_code_table("scheme").get(code)
    except InvalidValue:
        return code
    return in_language(
        str(entry.extra.get("short_zh") or entry.name_zh),
        str(entry.extra.get("short_en") or entry.name_en),
    )


def list_separator() -> str:
    """Between the items of a list in running text: 、 in Chinese, a comma in English."""
    return QCoreApplication.translate("Format", "、")


def join_list(items: list[str] | tuple[str, ...]) -> str:
    return list_separator().join(item for item in items if item)


def with_note(text: str, note: str) -> str:
    """``text`` followed by ``note`` in brackets: 全角括号 in Chinese, " (note)" in English."""
    return QCoreApplication.translate("Format", "%1（%2）").replace("%1", text).replace("%2", note)
