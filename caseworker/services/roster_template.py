# TEMPORARY local stand-in (never committed)
def write_template(path) -> None:
    raise NotImplementedError
