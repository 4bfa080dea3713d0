"""Devices at the desk, without Qt: ID card readers (serial frame protocol through pyserial,
vendors' libraries through ctypes) behind one interface, and a simulated reader for tests
and demos. The UI polls a reader on a thread of its own; the CLI reads one card."""
