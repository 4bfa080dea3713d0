"""The main window: navigation between the pages, shortcuts, status bar, remembered layout.

The window opens on 今日 (the home page) after every login. Each page is built (and its
module imported) the first time it is shown or reached from elsewhere (``page``): the launch
builds the home page and nothing else. Until then its place in the stack holds an empty
widget. Pages are thrown away and built again as needed when the language changes, so every
string switches at once without each widget having to retranslate itself.

The first screen's figures (the day's work, pending uploads, last sync, the worklists' counts,
what was sent back, what needs attention) come from one reading, ``services.home``, at launch,
after each save, when 今日 is shown and every minute; a page built later starts from the latest
figures and reads its own on first show. The window is sized from the screen's available
geometry (``ui.screen_fit``)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtNetwork import QNetworkInformation
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from caseworker.services.actor import ROLE_LABELS, Permission, Role
from caseworker.services.centre import OpenSession
from caseworker.services.login_guard import Clock, utc_now
from caseworker.services.worklist_spec import WorklistSpec
from caseworker.ui.card_watcher import CardWatcher
from caseworker.ui.drafts import DraftInfo, enrolment_drafts_of
from caseworker.ui.i18n import (
    current_language,
    install_language,
    message_for,
    save_language,
    with_note,
)
from caseworker.ui.icons import icon
from caseworker.ui.models.labels import role_label as role_words
from caseworker.ui.preferences import TEXT_SIZE, WINDOW_GEOMETRY, WINDOW_STATE
from caseworker.ui.screen_fit import fitted_size, keep_on_screen
from caseworker.ui.session_lock import SessionLock
from caseworker.ui.style import apply_text_size, icon_px
from caseworker.ui.tasks import TaskRunner
from caseworker.ui.widgets.store_banner import StoreBanner

if TYPE_CHECKING:
    from caseworker.services.home import HomeFigures
    from caseworker.ui.dialogs.drafts_dialog import DraftsDialog
    from caseworker.ui.views.enrolment_form import EnrolmentForm

PAGES = (
    "home",
    "front_desk",
    "employers",
    "payments",
    "sync",
    "reports",
    "settings",
    "review",
    "audit",
    "operators",
    "worklists",
    "visits",
    "rosters",
)
# Pages only some roles see: hidden in the navigation, their shortcut disabled (the services
# refuse anyway: this is so nobody is shown a door that will not open).
PAGE_PERMISSIONS = {
    "review": Permission.REVIEW,
    "audit": Permission.VIEW_AUDIT,
    "operators": Permission.MANAGE_OPERATORS,
    "rosters": Permission.IMPORT_ROSTER,
}
# Ctrl+1 … Ctrl+9 by position (今日 is Ctrl+1), Ctrl+0 the tenth; later pages have their own
# keys.
PAGE_SHORTCUTS = {
    **{name: f"Ctrl+{position + 1}" for position, name in enumerate(PAGES[:9])},
    PAGES[9]: "Ctrl+0",
    "worklists": "Ctrl+Shift+L",
    "visits": "Ctrl+Shift+F",
    "rosters": "Ctrl+Shift+I",
}
STATUS_REFRESH_MS = 60_000
# Each page's class, by module (imported when the page is first built) and name.
PAGE_CLASSES = {
    "home": ("caseworker.ui.views.home_view", "HomePage"),
    "front_desk": ("caseworker.ui.views.front_desk", "FrontDeskPage"),
    "employers": ("caseworker.ui.views.employers_view", "EmployersPage"),
    "payments": ("caseworker.ui.views.payments_view", "PaymentsPage"),
    "sync": ("caseworker.ui.views.sync_view", "SyncView"),
    "reports": ("caseworker.ui.views.reports_view", "ReportsPage"),
    "settings": ("caseworker.ui.views.settings_view", "SettingsPage"),
    "review": ("caseworker.ui.views.review_view", "ReviewPage"),
    "audit": ("caseworker.ui.views.audit_view", "AuditView"),
    "operators": ("caseworker.ui.views.operators_view", "OperatorsPage"),
    "worklists": ("caseworker.ui.views.worklists_view", "WorklistsPage"),
    "visits": ("caseworker.ui.views.field_visit_view", "FieldVisitPage"),
    "rosters": ("caseworker.ui.views.rosters_view", "RostersPage"),
}
# Pages that save (their data_changed moves the status bar and the worklists' counts).
SAVING_PAGES = ("front_desk", "employers", "worklists", "visits", "rosters")


# The window opens on 今日 after every login (the day at a glance, the search one key away).
LANDING = 0
# The window's preferred size, shrunk to the screen's available room (a 1366×768 laptop at
# 125 or 150 % has far less than this).
PREFERRED_SIZE = QSize(1180, 760)


def landing_module() -> str:
    """The module of the page the window opens on (the launch loads it ahead)."""
    return PAGE_CLASSES[PAGES[LANDING]][0]


class _Page:
    """A page reached as an attribute (``window.employers``): built the first time."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, window: MainWindow | None, owner: type | None = None) -> Any:
        return self if window is None else window.page(self.name)


class MainWindow(QMainWindow):
    language_changed = Signal(str)
    text_size_changed = Signal(str)
    status_refreshed = Signal()
    locked = Signal()  # the lock screen is up (the store closes once no job uses it)
    drafts_offered = Signal()  # the operator's drafts are on screen to restore or discard
    unlocked = Signal()
    coverage_refreshed = Signal(int)  # statuses that ran out or were unseen, looked at again
    page_built = Signal(str)  # the page's name: built on its first showing (or first use)

    home = _Page("home")
    front_desk = _Page("front_desk")
    employers = _Page("employers")
    payments = _Page("payments")
    sync_page = _Page("sync")
    reports = _Page("reports")
    settings_page = _Page("settings")
    review_page = _Page("review")
    audit_page = _Page("audit")
    operators_page = _Page("operators")
    worklists = _Page("worklists")
    visits_page = _Page("visits")
    rosters = _Page("rosters")

    def __init__(
        self,
        session: OpenSession,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
        *,
        clock: Clock = utc_now,
        today: Callable[[], date] = date.today,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.clock = clock
        self.today = today
        # A window made without a runner (scripts, old callers) owns one and shuts it down.
        self._own_runner = runner is None
        self.runner = runner or TaskRunner(self)
        self._restoring = True  # page changes while building are not the clerk's choice
        self._last_sync: datetime | None = None
        self.pending_uploads: int | None = None
        self.figures: HomeFigures | None = (
            None  # the latest reading (the front page's and the day's)
        )
        self._built: dict[str, QWidget] = {}
        self._apply_operator_text_size()  # before any page is built: they open at its size

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(150)
        self.nav.setSpacing(2)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        # Across the top while the store is behind its marks (no receipts, no enrolments).
        self.store_banner = StoreBanner(session)
        frame = QWidget()
        column = QVBoxLayout(frame)
        column.setContentsMargins(0, 0, 0, 0)  # a hidden banner takes no room at all
        column.setSpacing(0)
        column.addWidget(self.store_banner)
        column.addWidget(body, 1)
        # The window's contents, or the lock screen over them (hidden widgets take no keys).
        self.screens = QStackedWidget()
        self.screens.setObjectName("screens")
        self.screens.addWidget(frame)
        self.setCentralWidget(self.screens)
        self.nav.currentRowChanged.connect(self._nav_changed)

        self.who_label = QLabel()
        self.who_label.setObjectName("statusWho")
        self.pending_label = QLabel()
        self.pending_label.setObjectName("statusPending")
        self.sync_label = QLabel()
        self.sync_label.setObjectName("statusLastSync")
        self.network_label = QLabel()
        self.network_label.setObjectName("statusNetwork")
        for label in (self.who_label, self.pending_label, self.sync_label, self.network_label):
            self.statusBar().addPermanentWidget(label)
        self._network = self._network_information()

        # The desk's ID card reader: one poller for the window's life, pages attach to it.
        self.card_watcher = CardWatcher(self)
        # Connected before any page is built, so it runs before the front desk's own handler.
        self.card_watcher.card_placed.connect(self._card_on_home)
        self._build(LANDING)
        self.card_watcher.start_from_preferences()
        self.resize(fitted_size(PREFERRED_SIZE, self))
        self._restore_geometry()
        self._restoring = False
        # Made once the pages are built: its application-wide event filter (the idle time)
        # would otherwise be called for each of the thousands of events the building makes.
        self.session_lock = SessionLock(self, clock)
        self._may_close = False  # set once unsaved input has been asked about
        self.drafts_dialog: DraftsDialog | None = None

        self.status_timer = QTimer(self)
        self.status_timer.setInterval(STATUS_REFRESH_MS)
        self.status_timer.timeout.connect(self.refresh_status)
        self.status_timer.start()
        self.refresh_status()  # the first screen's figures, in one reading
        self.refresh_coverage()
        self.offer_drafts()

    # -- building (and rebuilding on a language change) --------------------------------------

    def _build(self, landing: int) -> None:
        """Every page thrown away; the one at ``landing`` (or the first the operator may see)
        built and shown, the others when first shown."""
        self._build_pages()
        self._build_actions()
        self._retranslate_frame(landing)

    def _build_pages(self) -> None:
        while self.stack.count():
            page = self.stack.widget(0)
            self.stack.removeWidget(page)
            page.deleteLater()
        self._built = {}
        for name in PAGES:
            placeholder = QWidget()
            placeholder.setObjectName(f"page_{name}_unbuilt")
            self.stack.addWidget(placeholder)

    def page(self, name: str) -> QWidget:
        """The page ``name``, built the first time it is asked for: shown, reached by its
        shortcut, or opened from another page."""
        page = self._built.get(name)
        if page is not None:
            return page
        module, class_name = PAGE_CLASSES[name]
        page_class = getattr(importlib.import_module(module), class_name)
        if name == "front_desk":
            page = page_class(self.session, self.runner, fed=True)
        elif name == "operators":
            page = page_class(self.session, self.runner, clock=self.clock)
        else:
            page = page_class(self.session, self.runner)
        if not page.objectName():
            page.setObjectName(f"page_{name}")
        self._built[name] = page
        # In the placeholder's place; the stack's current page stays what it was.
        position = PAGES.index(name)
        current = self.stack.currentIndex()
        placeholder = self.stack.widget(position)
        self.stack.insertWidget(position, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self.stack.setCurrentIndex(current)
        self._connect(name, page)
        self.page_built.emit(name)
        return page

    def built_page(self, name: str) -> QWidget | None:
        """The page if it has been built (nothing is built by asking)."""
        return self._built.get(name)

    def _connect(self, name: str, page: Any) -> None:
        """A new page's links to the window (and through it to the other pages)."""
        if name == "home":
            self._connect_home(page)
        if name in SAVING_PAGES:
            # Something was saved: the status bar and the worklists' counts follow; an open
            # list reloads (in place) when next looked at.
            page.data_changed.connect(self._data_changed)
        if name == "front_desk":
            page.worklist_strip.chosen.connect(lambda kind: self.show_worklist(WorklistSpec(kind)))
            page.attach_card_reader(self.card_watcher)
            if self.figures is not None:
                page.show_front_page(self.figures)
            if not self._restoring:
                self.refresh_status()  # what was sent back may have changed since the launch
        elif name == "worklists":
            page.counts_loaded.connect(self._worklist_counts)
            page.edit_person.connect(self._edit_person)
            page.trip_requested.connect(self.plan_trip_from_spec)
        elif name == "employers":
            page.open_person.connect(self.open_person)
            page.enrol_employee.connect(self._enrol_for_employer)
            # The page's own button has the same shortcut; one owner avoids an ambiguous key.
            page.register_button.setShortcut(QKeySequence())
        elif name == "settings":
            page.language_chosen.connect(self.apply_language)
            page.text_size_chosen.connect(self.apply_text_size)
            page.card_reader.attach(self.card_watcher)
        elif name == "reports":
            page.worklist_requested.connect(self.show_worklist)
        elif name == "sync":
            page.status_changed.connect(self._sync_status)  # it reads once when built
        elif name == "review":
            page.changed.connect(self.refresh_status)

    def _connect_home(self, page: Any) -> None:
        page.page_requested.connect(lambda name: self.show_page(PAGES.index(name)))
        page.worklist_chosen.connect(lambda kind: self.show_worklist(WorklistSpec(kind)))
        page.close_day_requested.connect(self.close_day_of)
        page.drafts_requested.connect(self._offer)
        page.search_requested.connect(self.focus_search)
        page.new_enrolment_requested.connect(self.new_enrolment)
        if self.figures is not None:
            page.show_figures(self.figures)

    def _page_titles(self) -> list[str]:
        return [
            self.tr("今日"),
            self.tr("前台"),
            self.tr("用人单位"),
            self.tr("缴费"),
            self.tr("数据同步"),
            self.tr("报表"),
            self.tr("设置"),
            self.tr("审核"),
            self.tr("审计"),
            self.tr("操作员"),
            self.tr("工作清单"),
            self.tr("入户走访"),
            self.tr("名册导入"),
        ]

    def _build_actions(self) -> None:
        for action in self.actions():
            self.removeAction(action)
        self.menuBar().clear()
        work = self.menuBar().addMenu(self.tr("办理(&W)"))
        pages = self.menuBar().addMenu(self.tr("页面(&V)"))
        self.find_action = self._action(
            work, self.tr("查找人员"), "Ctrl+F", self.focus_search, "search"
        )
        self.new_action = self._action(
            work, self.tr("新参保登记"), "Ctrl+N", self.new_enrolment, "new_enrolment"
        )
        self.employer_action = self._action(
            work,
            self.tr("登记用人单位"),
            "Ctrl+Shift+N",
            self._register_employer,
            "register_employer",
        )
        work.addSeparator()
        self.quit_action = self._action(work, self.tr("退出"), "Ctrl+Q", self.close, "quit")
        self.page_actions = []
        for position, title in enumerate(self._page_titles()):
            name = PAGES[position]
            action = self._action(
                pages, title, PAGE_SHORTCUTS[name], lambda p=position: self.show_page(p), name
            )
            action.setEnabled(self.may_see(PAGES[position]))
            self.page_actions.append(action)
        pages.addSeparator()
        self.refresh_action = self._action(
            pages, self.tr("刷新"), "F5", self.refresh_page, "refresh"
        )
        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.about_action = self._action(
            help_menu, self.tr("关于社保经办…"), "", self.show_about, "about"
        )

    def show_about(self) -> None:
        from caseworker.ui.dialogs.about_dialog import AboutDialog

        dialog = AboutDialog(self.session.database.paths.root, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()  # window-modal, no nested event loop
        self.about_dialog = dialog

    def _action(
        self,
        menu: QMenu,
        text: str,
        keys: str,
        slot: Callable[[], object],
        meaning: str | None = None,
    ) -> QAction:
        """A menu action with its shortcut and, where ``meaning`` names one, its icon."""
        action = QAction(text, self)
        if meaning is not None:
            action.setIcon(icon(meaning))
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _retranslate_frame(self, landing: int) -> None:
        actor = self.session.actor
        role = self.role_label(actor.role)
        self.setWindowTitle(
            self.tr("社保经办 — %1 — %2（%3）")
            .replace("%1", actor.centre_name)
            .replace("%2", actor.display_name)
            .replace("%3", role)
        )
        # A contractor's staff are shown with their agency wherever the operator is shown.
        who = role if actor.agency is None else f"{role} · {actor.agency}"
        self.who_label.setText(
            f"{with_note(actor.centre_name, actor.centre_code)} | "
            f"{with_note(actor.display_name, who)}"
        )
        self.nav.blockSignals(True)
        self.nav.clear()
        for position, title in enumerate(self._page_titles()):
            # Shift as ⇧ in the navigation: "Ctrl+Shift+L" would not fit its column.
            keys = PAGE_SHORTCUTS[PAGES[position]].replace("Shift+", "⇧")
            self.nav.addItem(f"{title}\t{keys}")
            self.nav.item(position).setIcon(icon(PAGES[position]))
            self.nav.item(position).setHidden(not self.may_see(PAGES[position]))
        # As wide as its widest entry at this text size (a larger text needs more room).
        self.nav.setIconSize(QSize(icon_px("navigation"), icon_px("navigation")))
        self.nav.setFixedWidth(max(150, self.nav.sizeHintForColumn(0) + 24))
        self.nav.setAccessibleName(self.tr("页面导航"))
        self.nav.blockSignals(False)
        self._reserve_status_room()
        self.show_page(landing)
        self._show_status()
        self.store_banner.refresh()

    def role_label(self, role: Role) -> str:
        return role_words(role) or ROLE_LABELS.get(role, str(role))

    def apply_language(self, code: str) -> None:
        """Switch the interface language now and for the next start. The pages are rebuilt,
        so unsaved enrolment input asks first; a draft kept comes back in the new form."""
        if code == current_language():
            return

        def switch() -> None:
            install_language(_app(), code)
            save_language(code)

        self._rebuild_after(switch, lambda: self.language_changed.emit(code))

    def apply_text_size(self, size: str) -> None:
        """This operator's text size, now and at their next login. The pages are rebuilt at
        the new size, as for a language change (unsaved enrolment input asks first)."""

        def change() -> None:
            TEXT_SIZE.of(self.session.actor.operator_id).put(size)
            apply_text_size(_app(), size)

        # Posted: a new application stylesheet repolishes every widget, not to be done inside
        # the click or the combo box's choice that asked for it.
        self._rebuild_after(change, lambda: self.text_size_changed.emit(size), posted=True)

    def _apply_operator_text_size(self) -> None:
        apply_text_size(_app(), str(TEXT_SIZE.of(self.session.actor.operator_id).get()))

    def _rebuild_after(
        self, change: Callable[[], object], done: Callable[[], object], *, posted: bool = False
    ) -> None:
        def rebuild(draft: object) -> None:
            if posted:
                QTimer.singleShot(0, lambda: self._rebuild(change, done, draft))
            else:
                self._rebuild(change, done, draft)

        desk = self.built_page("front_desk")
        if desk is None:
            rebuild(None)
        else:
            desk.leave_form(rebuild)  # type: ignore[attr-defined]

    def _rebuild(
        self, change: Callable[[], object], done: Callable[[], object], draft: object
    ) -> None:
        change()
        page = self.stack.currentIndex()
        desk: Any = self.built_page("front_desk")
        query = desk.search.search_box.text() if desk is not None else ""
        self._build(page)
        if query:
            self.front_desk.search.search_box.setText(query)
        if draft is not None:
            self.front_desk.restore_draft(draft)  # type: ignore[arg-type]
        done()

    # -- pages ----------------------------------------------------------------------------------

    def may_see(self, page: str) -> bool:
        permission = PAGE_PERMISSIONS.get(page)
        return permission is None or self.session.actor.may(permission)

    def show_page(self, position: int) -> None:
        position = max(0, min(position, len(PAGES) - 1))
        if not self.may_see(PAGES[position]):
            position = 0
        if self.nav.currentRow() != position:
            self.nav.setCurrentRow(position)  # _nav_changed does the rest
        else:
            self._nav_changed(position)

    def _nav_changed(self, position: int) -> None:
        if position < 0:
            return
        name = PAGES[position]
        page: Any = self.page(name)  # built on its first showing
        self.stack.setCurrentIndex(position)
        if name == "home":
            if not self._restoring:  # the launch reads both anyway (offer_drafts, the status)
                page.refresh()  # its drafts
                self.refresh_status()  # the day's figures as they are now
        elif self._reads_on_showing(name, page):
            page.refresh()
        page.setFocus()

    @staticmethod
    def _reads_on_showing(name: str, page: Any) -> bool:
        """Pages whose figures move while they are away read again when shown; lists that
        keep their place read once (their own refresh, or F5, reads again)."""
        if name in ("payments", "review", "operators"):
            return True
        if name == "employers":
            return not page.model.ids
        if name == "audit":
            return not page.model.rows
        return name == "worklists" and page.needs_loading

    def current_page_name(self) -> str:
        return PAGES[self.stack.currentIndex()]

    def refresh_page(self) -> None:
        page = self.stack.currentWidget()
        refresh = getattr(page, "refresh", None)
        if callable(refresh):
            refresh()
        self.refresh_status()

    # -- front-desk actions reachable from anywhere ---------------------------------------------

    @property
    def search_box(self) -> QLineEdit:
        return self.front_desk.search.search_box

    @property
    def enrolment_form(self) -> EnrolmentForm | None:
        """The front desk's enrolment form, if it was ever opened (nothing is built)."""
        desk: Any = self.built_page("front_desk")
        return None if desk is None else desk.form

    def focus_search(self) -> None:
        self.show_page(PAGES.index("front_desk"))
        self.front_desk.show_search()

    def new_enrolment(self) -> None:
        """Ctrl+N: from a search for a valid ID number nobody here has, with it filled in
        (as the offer's button does); from anywhere else, an empty form."""
        on_desk = self.current_page_name() == "front_desk"
        id_number = self.front_desk.unknown_searched_id() if on_desk else None
        self.show_page(PAGES.index("front_desk"))
        self.front_desk.new_enrolment(id_number)

    def open_person(self, person_id: object) -> None:
        self.show_page(PAGES.index("front_desk"))
        self.front_desk.open_person(person_id)  # type: ignore[arg-type]

    def plan_trip_from_spec(self, spec: WorklistSpec) -> None:
        """The worklists page's 安排入户走访: a trip to the households of the list's people."""
        self.show_page(PAGES.index("visits"))
        self.visits_page.plan_from_spec(spec)

    def plan_trip_from_worklist(self, person_ids: object, spec: object) -> None:
        """A field trip to the households of a worklist's people (for the worklists page)."""
        self.show_page(PAGES.index("visits"))
        self.visits_page.plan_from_worklist(person_ids, spec)  # type: ignore[arg-type]

    def _card_on_home(self, card: object) -> None:
        """A card placed on the reader while 今日 is up: the front desk takes it, as if the
        clerk had gone there first (other pages leave the reader alone, as before)."""
        if self.current_page_name() != "home" or not self.isVisible():
            return
        if self.is_locked or QApplication.activeModalWidget() is not None:
            return
        fresh = self.built_page("front_desk") is None
        self.show_page(PAGES.index("front_desk"))
        if fresh:  # built just now: its handler was not connected when the signal went out
            self.front_desk.cards.card_placed(card)

    def close_day_of(self, day: date) -> None:
        """今日's days not closed: the review page's 日结 tab on that day."""
        self.show_page(PAGES.index("review"))
        self.review_page.show_close_of(day)

    def show_worklist(self, spec: WorklistSpec) -> None:
        """The worklists page with the list ``spec`` names (front-desk counts, charts)."""
        self.show_page(PAGES.index("worklists"))
        self.worklists.show_spec(spec)

    def _edit_person(self, person_id: object) -> None:
        self.show_page(PAGES.index("front_desk"))
        self.front_desk.edit_person(person_id)  # type: ignore[arg-type]

    def _enrol_for_employer(self, employer_id: object) -> None:
        self.show_page(PAGES.index("front_desk"))
        self.front_desk.new_enrolment(employer_id=employer_id)  # type: ignore[arg-type]

    def _register_employer(self) -> None:
        self.show_page(PAGES.index("employers"))
        self.employers.register()

    # -- derived statuses that ran out --------------------------------------------------

    def refresh_coverage(self) -> None:
        """After login: statuses that ran out (a paid year ended, a 16th birthday) and rows
        nobody has looked at (people pulled, or from before the upgrade) are derived again,
        on the writer lane, only when ``needs_refresh`` finds any."""
        database, actor, day = self.session.database, self.session.actor, self.today()

        def job(control: object) -> int:
            from caseworker.services import coverage  # not needed before the window is up

            if not coverage.needs_refresh(database, day):
                return 0
            return coverage.refresh(database, actor, day)

        self.runner.submit(
            job,
            lane="write",
            on_success=self.coverage_refreshed.emit,
            on_failure=self._coverage_failed,
        )

    def _coverage_failed(self, error: BaseException) -> None:
        self.statusBar().showMessage(
            self.tr("参保状态更新失败：%1").replace("%1", message_for(error)), 15000
        )

    # -- status bar -----------------------------------------------------------------------------

    def refresh_status(self) -> None:
        """The first screen's figures (今日's, the status bar's, the front desk's), in one reading
        on the runner (``services.home.home_figures``)."""
        database, actor, day = self.session.database, self.session.actor, self.today()

        def job(control: object) -> HomeFigures:
            # Imported here, on the runner: the counts' queries are not needed to show the window.
            from caseworker.services.home import home_figures

            return home_figures(database, actor, day)

        self.runner.submit(job, on_success=self._figures_read)

    def _figures_read(self, figures: HomeFigures) -> None:
        self.figures = figures
        self.pending_uploads = figures.pending_uploads
        self._last_sync = figures.last_sync
        self._show_status()
        desk: Any = self.built_page("front_desk")
        if desk is not None:
            desk.show_front_page(figures)
        worklists: Any = self.built_page("worklists")
        if worklists is not None:
            worklists.show_counts(figures.worklist_counts)
        home: Any = self.built_page("home")
        if home is not None:
            home.show_figures(figures)
        self.status_refreshed.emit()

    def _worklist_counts(self, figures: dict[str, int]) -> None:
        """The worklists page read its counts: the front desk's strip shows the same."""
        desk: Any = self.built_page("front_desk")
        if desk is not None:
            desk.worklist_strip.show_counts(figures)

    def _data_changed(self) -> None:
        worklists: Any = self.built_page("worklists")
        if worklists is not None:
            worklists.mark_stale()  # an unbuilt page reads fresh when first shown anyway
        self.refresh_status()

    def set_last_sync(self, when: datetime | None) -> None:
        """The time of the last successful sync (UTC)."""
        self._last_sync = when
        self._show_status()

    def _sync_status(self, pending: int, last_success: datetime | None) -> None:
        self.pending_uploads = pending
        self.set_last_sync(last_success)
        self.status_refreshed.emit()

    def _show_status(self) -> None:
        if self.pending_uploads is None:
            self.pending_label.setText(self.tr("待上传：…"))
        else:
            self.pending_label.setText(
                self.tr("待上传 %1 条").replace("%1", str(self.pending_uploads))
            )
        self.sync_label.setText(self._sync_age_text())
        self.network_label.setText(self._network_text())

    def _reserve_status_room(self) -> None:
        """The status labels as wide as their widest text from the start: their figures
        arrive after the window is shown, and nothing beside them may shift when they do."""
        widest = {
            self.pending_label: [self.tr("待上传 %1 条").replace("%1", "000000")],
            self.sync_label: [
                self.tr("从未同步"),
                self.tr("上次同步：%n 分钟前", "", 59),
                self.tr("上次同步：%n 小时前", "", 47),
                self.tr("上次同步：%n 天前", "", 999),
            ],
            self.network_label: [
                self.tr("在线"),
                self.tr("离线"),
                self.tr("仅局域网"),
                self.tr("网络状态未知"),
            ],
        }
        for label, texts in widest.items():
            label.ensurePolished()  # the style sheet's padding counts
            width = 0
            for text in texts:
                label.setText(text)
                width = max(width, label.sizeHint().width())
            label.setMinimumWidth(width)

    def _sync_age_text(self) -> str:
        if self._last_sync is None:
            return self.tr("从未同步")
        minutes = int((datetime.now(UTC) - self._last_sync).total_seconds() // 60)
        if minutes < 60:
            return self.tr("上次同步：%n 分钟前", "", max(minutes, 0))
        if minutes < 48 * 60:
            return self.tr("上次同步：%n 小时前", "", minutes // 60)
        return self.tr("上次同步：%n 天前", "", minutes // (24 * 60))

    def _network_information(self) -> QNetworkInformation | None:
        if not QNetworkInformation.loadDefaultBackend():
            return None
        info = QNetworkInformation.instance()
        if info is not None:
            info.reachabilityChanged.connect(lambda _r: self._show_status())
        return info

    def _network_text(self) -> str:
        if self._network is None:
            return self.tr("离线")  # no way to tell: assume the worst, sync will try anyway
        reachability = self._network.reachability()
        if reachability == QNetworkInformation.Reachability.Online:
            return self.tr("在线")
        if reachability in (
            QNetworkInformation.Reachability.Local,
            QNetworkInformation.Reachability.Site,
        ):
            return self.tr("仅局域网")
        if reachability == QNetworkInformation.Reachability.Unknown:
            return self.tr("网络状态未知")
        return self.tr("离线")

    # -- remembered layout ----------------------------------------------------------------------

    def restore_layout(self) -> None:
        self._restore_geometry()
        self.show_page(LANDING)

    def _restore_geometry(self) -> None:
        geometry = WINDOW_GEOMETRY.get()
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
            keep_on_screen(self)  # remembered on a larger screen, or at another scale
        state = WINDOW_STATE.get()
        if isinstance(state, QByteArray | bytes):
            self.restoreState(QByteArray(state))

    def save_layout(self) -> None:
        WINDOW_GEOMETRY.put(self.saveGeometry())
        WINDOW_STATE.put(self.saveState())

    # -- the idle lock (ui/session_lock.py) -----------------------------------------------

    def lock(self) -> None:
        self.session_lock.lock()

    @property
    def is_locked(self) -> bool:
        return self.session_lock.is_locked

    def take_session(self, session: OpenSession) -> None:
        """Another operator logged in at the lock screen: a clean window for them."""
        self.session = session
        self.store_banner.session = session
        self.figures = None  # the first operator's; the unlock reads the new one's
        self._restoring = True  # not the new operator's choice of page
        self._apply_operator_text_size()
        self._build(0)
        self._restoring = False
        self.refresh_coverage()
        self.offer_drafts()

    def _close_after_asking(self, _draft: object) -> None:
        self._may_close = True
        self.close()

    # -- drafts offered back after login --------------------------------------------------

    def offer_drafts(self) -> None:
        """This operator's drafts left by a crash, a closed window or the idle lock."""
        session = self.session
        self.runner.submit(lambda control: enrolment_drafts_of(session), on_success=self._offer)

    def _offer(self, drafts: list[DraftInfo]) -> None:
        home: Any = self.built_page("home")
        if home is not None:
            home.show_drafts(drafts)  # the same folder 今日 reads when shown
        if not drafts or self.is_locked:
            return
        from caseworker.ui.dialogs.drafts_dialog import DraftsDialog

        self.drafts_dialog = DraftsDialog(self.session, drafts, self)
        self.drafts_dialog.restore_requested.connect(self._restore_offered)
        self.drafts_dialog.open()
        self.drafts_offered.emit()

    def _restore_offered(self, draft_id: object) -> None:
        self.show_page(PAGES.index("front_desk"))
        self.front_desk.restore_draft(draft_id)  # type: ignore[arg-type]

    def closeEvent(self, event: QCloseEvent) -> None:
        form = self.enrolment_form
        if not self._may_close and not self.is_locked and form is not None and form.is_dirty():
            event.ignore()  # unsaved enrolment input asks first; the answer closes again
            form.leave(self._close_after_asking)
            return
        self.save_layout()
        self.session_lock.stop()
        self.status_timer.stop()
        self.card_watcher.stop()
        if self._own_runner:
            self.runner.shutdown()
        super().closeEvent(event)


def _app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app
