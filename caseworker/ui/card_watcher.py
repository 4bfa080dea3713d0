"""The desk's ID card reader, polled on a thread of its own.

Not the runner's write lane (a card read must never wait behind, or hold up, a database
write) and not its read pool either: one thread owns the port, polls at most every 300 ms,
and posts what it finds to the UI thread through Qt signals (queued across threads, as the
runner's relay does). A card is announced once while it lies on the reader; it is announced
again only after the reader has been empty for two polls in a row (also across a restart).
"Test the reader" pauses the polling, tests the given settings on a short-lived thread and
resumes. The UI thread never waits for the port: each new user of it (a poller or a test)
first joins the last one, so the port has one user at a time.
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

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config: ReaderConfig | None = None
        self._stop = threading.Event()
        self._polling = False
        # The last thread given the port (a poller or a test): each next one joins it first,
        # so the UI thread never waits for a poll to finish and the port has one user.
        self._port_user: threading.Thread | None = None
        # The card lying on the reader, already announced: kept across restarts (a setting
        # changed, a test run), so a card left there does not fill the form a second time.
        self._announced: str | None = None
        self.polls = 0  # polls made (tests and support wait on it, never on time)

    @property
    def watching(self) -> bool:
        return self._polling

    def start(self, config: ReaderConfig | None) -> None:
        """Poll the reader ``config`` names (None: no reader on this desk)."""
        self._halt()
        self.config = config
        if config is None:
            return
        self._stop = threading.Event()
        self._spawn(self._poll, config, self._stop, name="cw-card-reader")
        self._polling = True

    def start_from_preferences(self) -> None:
        self.start(ReaderConfig.from_preferences())

    def stop(self) -> None:
        """Stop polling and wait until the port is closed (closing the window, tests)."""
        self._halt()
        if self._port_user is not None:
            # Bounded: a poll sees the stop after at most the reader's reply timeout (1 s).
            self._port_user.join()

    def _halt(self) -> None:
        """Tell the poller to end, without waiting: it closes the port after its poll."""
        self._stop.set()
        self._polling = False

    def _spawn(self, target: Callable[..., None], *args: object, name: str) -> None:
        previous = self._port_user

        def run() -> None:
            if previous is not None:
                previous.join()
            target(*args)

        self._port_user = threading.Thread(target=run, name=name, daemon=True)
        self._port_user.start()

    def test(self, config: ReaderConfig) -> None:
        """Open ``config``, say what the reader is and read a card if one lies there; the
        answer comes as ``tested``. Polling pauses meanwhile (one user of the port)."""
        self._halt()

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
        self._spawn(work, name="cw-card-test")

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
