from tests.upstream.harness import server, upstream_url  # noqa: F401 (fixtures)
