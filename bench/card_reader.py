"""What one poll and one card read cost over the serial protocol, against the simulated
reader on a pseudo-terminal pair (the same path the app takes, minus the USB cable):

    python -m bench.card_reader [--runs 30]

With ``--desk``, also the time from a card placed to the enrolment form filled on the front
desk (offscreen Qt, a real centre in a temporary folder): at most one poll interval plus the
look-up by number on the read lane; baseline, the poll interval itself.

Baseline in the same run: one bare 10-byte round trip through the same pty relay. The poll
(find, "no card") must stay far below the 300 ms poll interval; a read (find, select, text +
photo, latest address: 1,295 bytes back) is what a clerk waits for after placing a card.
A real reader at 115200 baud adds about 0.1 s of wire time for the read's 1.3 KB.
"""

from __future__ import annotations

import argparse
import time

from bench import emit
from caseworker.devices import frames
from caseworker.devices.serial_reader import SerialReader
from caseworker.devices.simulator import SimulatedReader, demo_card


def bench_desk(runs: int) -> None:
    import os
    import tempfile
    from dataclasses import replace
    from datetime import date
    from pathlib import Path

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from caseworker.domain.ids import make_id_number
    from caseworker.paths import DataPaths
    from caseworker.services.centre import setup_centre
    from caseworker.ui import card_desk
    from caseworker.ui.card_watcher import POLL_SECONDS, CardWatcher, ReaderConfig
    from caseworker.ui.tasks import TaskRunner
    from caseworker.ui.views.front_desk import FrontDeskPage

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder, SimulatedReader() as simulator:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)
        session = setup_centre(
            DataPaths(Path(folder) / "centre"),
            centre_code="320281103",
            centre_name="青阳镇社会保障服务中心",
            admin_username="admin",
            admin_password="bench password 1",
        ).session
        runner, watcher = TaskRunner(), CardWatcher()
        page = FrontDeskPage(session, runner)
        card_desk.attach(page, watcher)
        page.show()
        watcher.start(ReaderConfig("serial", simulator.port))
        samples, after_poll = [], []
        announced: list[float] = []
        watcher.card_placed.connect(lambda _card: announced.append(time.perf_counter()))
        for run in range(runs):
            number = make_id_number("320281", date(1980, 1, 1), 100 + run)
            if page.form is not None:
                page.form._dirty = False  # a bench: the last card's form is not work to keep
            page.stack.setCurrentWidget(page.search)
            simulator.remove()
            while watcher._announced is not None:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 50)
            started = time.perf_counter()
            simulator.place(replace(demo_card(), id_number=number))
            while page.form is None or page.form.person.id_number.text() != number:
                app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 20)
            filled = time.perf_counter()
            samples.append((filled - started) * 1000)
            after_poll.append((filled - announced[-1]) * 1000)
        watcher.stop()
        runner.shutdown()
        session.close()
        QTimer.singleShot(0, app.quit)
    emit("card_poll_interval", [POLL_SECONDS * 1000], "ms", note="baseline: the wait for a poll")
    emit(
        "card_placed_to_form_filled",
        samples,
        "ms",
        note="placed just after a poll (the worst case): the wait for the next poll included",
    )
    emit("card_read_to_form_filled", after_poll, "ms", note="look-up on the read lane + filling")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--desk", action="store_true", help="also card placed → form filled")
    options = parser.parse_args()
    runs = options.runs
    with SimulatedReader() as simulator:
        reader = SerialReader(simulator.port)
        try:
            baseline, polls, reads = [], [], []
            for _ in range(runs):
                started = time.perf_counter()
                reader.ask(frames.SAM_STATUS)  # the smallest exchange there is
                baseline.append((time.perf_counter() - started) * 1000)
            for _ in range(runs):
                started = time.perf_counter()
                assert reader.read_card() is None
                polls.append((time.perf_counter() - started) * 1000)
            simulator.place(demo_card())
            for _ in range(runs):
                started = time.perf_counter()
                assert reader.read_card() is not None
                reads.append((time.perf_counter() - started) * 1000)
        finally:
            reader.close()
    emit("card_baseline_round_trip", baseline, "ms", note="one 10-byte reply through the pty relay")
    emit("card_poll_no_card", polls, "ms", note="find → 0x80; the poller runs every 300 ms")
    emit("card_read", reads, "ms", note="find, select, text+photo, latest address")
    if options.desk:
        bench_desk(min(runs, 15))


if __name__ == "__main__":
    main()
