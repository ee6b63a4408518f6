from xinyong.exchange import admin_files  # noqa: F401 - registers the exchange nodes
