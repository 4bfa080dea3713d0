"""The desk's ID card reader, polled on a thread of its own.

Not the runner's write lane (a card read must never wait behind, or hold up, a database
write) and not its read pool either: one thread owns the port, polls at most every 300 ms,
and posts what it finds to the UI thread through Qt signals (queued across threads, as the
runner's relay does). A card is announced once while it lies on the reader; it is announced
again only after the reader has been empty for two polls in a row (also across a restart). "Test the reader" stops
the polling, tests the given settings on a short-lived thread of its own, and resumes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from caseworker.devices.card import CardData
from caseworker.devices.reader import CardReader, ReaderError, ReaderStatus, open_reader
from caseworker.ui.preferences import CARD_READER_KIND, CARD_READER_LIBRARY, CARD_READER_PORT

POLL_SECONDS = 0.3
EMPTY_POLLS_BEFORE_AGAIN = 2

Opener = Callable[[str, str, str | None], CardReader]


@dataclass(frozen=True)
class ReaderConfig:
    kind: str
    port: str
    library: str | None = None

    @classmethod
    def from_preferences(cls) -> ReaderConfig | None:
        kind, port = str(CARD_READER_KIND.get() or ""), str(CARD_READER_PORT.get() or "")
        if not kind or not port:
            return None
        return cls(kind, port, str(CARD_READER_LIBRARY.get() or "") or None)


@dataclass(frozen=True)
class ReaderTest:
    status: ReaderStatus
    card: CardData | None


def _open(config: ReaderConfig) -> CardReader:
    return open_reader(config.kind, config.port, config.library)


class CardWatcher(QObject):
    card_placed = Signal(object)  # CardData
    read_failed = Signal(object)  # ReaderError (announced once until something changes)
    tested = Signal(object)  # ReaderTest or ReaderError
    watching_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config: ReaderConfig | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # The card lying on the reader, already announced: kept across restarts (a setting
        # changed, a test run), so a card left there does not fill the form a second time.
        self._announced: str | None = None
        self.polls = 0  # polls made (tests and support wait on it, never on time)

    @property
    def watching(self) -> bool:
        return self._thread is not None

    def start(self, config: ReaderConfig | None) -> None:
        """Poll the reader ``config`` names (None: no reader on this desk)."""
        self.stop()
        self.config = config
        if config is None:
            return
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._poll, args=(config, self._stop), name="cw-card-reader", daemon=True
        )
        self._thread.start()
        self.watching_changed.emit(True)

    def start_from_preferences(self) -> None:
        self.start(ReaderConfig.from_preferences())

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        # Bounded: a poll waits at most the reader's reply timeout (1 s) before it sees this.
        self._thread.join()
        self._thread = None
        self.watching_changed.emit(False)

    def test(self, config: ReaderConfig) -> None:
        """Open ``config``, say what the reader is and read a card if one lies there; the
        answer comes as ``tested``. Polling pauses meanwhile (one user of the port)."""
        resume = self.config
        self.stop()
        self.config = resume

        def work() -> None:
            try:
                reader = _open(config)
                try:
                    result: object = ReaderTest(reader.check(), reader.read_card())
                finally:
                    reader.close()
            except ReaderError as error:
                result = error
            self.tested.emit(result)

        self.tested.connect(self._resume_after_test)
        threading.Thread(target=work, name="cw-card-test", daemon=True).start()

    def _resume_after_test(self, _result: object) -> None:
        self.tested.disconnect(self._resume_after_test)
        self.start(ReaderConfig.from_preferences())

    # ------------------------------------------------------------------ the thread

    def _poll(self, config: ReaderConfig, stop: threading.Event) -> None:
        reader: CardReader | None = None
        empty_polls = 0
        last_error: str | None = None
        while not stop.is_set():
            self.polls += 1
            try:
                if reader is None:
                    reader = _open(config)
                card = reader.read_card()
                last_error = None
                if card is None:
                    empty_polls += 1
                    if empty_polls >= EMPTY_POLLS_BEFORE_AGAIN:
                        self._announced = None
                elif card.id_number != self._announced:
                    self._announced, empty_polls = card.id_number, 0
                    self.card_placed.emit(card)
                else:
                    empty_polls = 0
            except ReaderError as error:
                if error.code != last_error:
                    self.read_failed.emit(error)
                last_error = error.code
                if error.code == "port" and reader is not None:
                    reader.close()
                    reader = None
            stop.wait(POLL_SECONDS)
        if reader is not None:
            reader.close()
