"""The reports page's exports with real widgets over a real centre: the tab only for those who
may export personal data, the consent dialog (Cancel writes nothing; a yes writes the file and
its audit entry) and the result said in words."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from caseworker.services.centre import OpenSession
from caseworker.store.models import AuditEntry
from caseworker.ui.dialogs.export_consent_dialog import ExportConsentDialog
from caseworker.ui.views.reports_view import ExportPanel, ReportsPage
from tests.services.test_xlsx_export import people


def _exports(centre: OpenSession) -> list[AuditEntry]:
    with centre.database.reading() as db:
        return list(db.scalars(select(AuditEntry).where(AuditEntry.action.like("export.%"))))


def _consent(qtbot, panel: ExportPanel) -> ExportConsentDialog:
    qtbot.waitUntil(lambda: panel.consent is not None and panel.consent.isVisible(), timeout=10_000)
    assert panel.consent is not None
    return panel.consent


def test_only_those_who_may_export_see_the_tab(qtbot, centre: OpenSession, clerk, runner):
    page = ReportsPage(centre, runner)
    qtbot.addWidget(page)
    assert page.exports is not None and page.tabs.count() == 3
    clerks = ReportsPage(clerk, runner)
    qtbot.addWidget(clerks)
    assert clerks.exports is None and clerks.tabs.count() == 2


def test_cancel_writes_nothing_and_yes_writes_and_audits(
    qtbot, centre: OpenSession, runner, tmp_path: Path
):
    numbers = people(centre, 3)
    panel = ExportPanel(centre, runner)
    qtbot.addWidget(panel)
    panel.show()
    target = tmp_path / "registry.xlsx"
    with qtbot.waitSignal(panel.finished, timeout=10_000):
        panel.export_registry(str(target))
        dialog = _consent(qtbot, panel)
        assert "3 人的完整身份证号" in dialog.what.text() and str(target) in dialog.where.text()
        assert "审计日志" in dialog.recorded.text()
        assert dialog.cancel.isDefault() and not dialog.yes.isDefault()
        dialog.cancel.click()
    assert not target.exists() and _exports(centre) == []
    assert "已取消" in panel.result.text() and panel.registry_button.isEnabled()

    panel.consent = None
    with qtbot.waitSignal(panel.exported, timeout=20_000) as done:
        panel.export_registry(str(target))
        _consent(qtbot, panel).yes.click()
        assert not panel.registry_button.isEnabled()  # busy until the file is written
    assert done.args[0].rows == 3
    rows = list(load_workbook(target).active.iter_rows(values_only=True))
    assert set(numbers) <= {row[0] for row in rows}
    assert "已导出 3 行" in panel.result.text() and "审计日志" in panel.result.text()
    (entry,) = _exports(centre)
    assert entry.action == "export.registry" and entry.detail["file"] == "registry.xlsx"

    panel.consent = None
    panel.line.setCurrentIndex(panel.line.findData("pension"))
    with qtbot.waitSignal(panel.exported, timeout=20_000) as done:
        panel.export_coverage(str(tmp_path / "pension"))  # .xlsx added to a bare name
        _consent(qtbot, panel).yes.click()
    assert done.args[0].path == tmp_path / "pension.xlsx" and done.args[0].rows == 3
    assert [e.action for e in _exports(centre)].count("export.coverage") == 1


def test_a_refusal_is_said_where_the_operator_looks(qtbot, centre, runner, tmp_path: Path):
    panel = ExportPanel(centre, runner)
    qtbot.addWidget(panel)
    panel.show()
    with qtbot.waitSignal(panel.finished, timeout=10_000):
        panel.export_registry(str(tmp_path / "nowhere" / "r.xlsx"))
        _consent(qtbot, panel).yes.click()
    assert "不存在" in panel.result.text() and panel.registry_button.isEnabled()
