"""Every model lives in the default database; the ``hot`` alias is a second connection to
the same database for the credit check (settings), never migrated on its own, and so are
the replicas (``replica_1`` …, ``DATABASE_REPLICA_URLS``): copies of it that take the reads
of a read-only scope (:mod:`xinyong.core.replicas`) and nothing else."""

from xinyong.core import replicas


class DefaultOnly:
    def db_for_read(self, model, **hints):
        """A replica inside a read-only scope (outside a transaction, before the scope
        wrote anything, when one has every write the scope needs); else as without a
        router — but never a replica because an object was read from one."""
        alias = replicas.read_alias()
        if alias is not None:
            return alias
        instance = hints.get("instance")
        if instance is not None and replicas.is_replica(instance._state.db):
            return "default"
        return None

    def db_for_write(self, model, **hints):
        """Always the primary; the scope that writes reads the primary from then on."""
        replicas.wrote()
        instance = hints.get("instance")
        if instance is not None and replicas.is_replica(instance._state.db):
            return "default"
        return None

    def allow_relation(self, obj1, obj2, **hints):
        """An object read from a replica is the primary's object."""
        if replicas.is_replica(obj1._state.db) or replicas.is_replica(obj2._state.db):
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"
