"""Every model lives in the default database; the ``hot`` alias is a second connection to
the same database for the credit check (settings), never migrated on its own."""


class DefaultOnly:
    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
