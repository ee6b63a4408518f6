"""One-line resolvers for the API's output schemas, where a field is a related object's
value or a choice's name: ``resolve_member = related("subject.name")``,
``resolve_role_name = choice_name("role")`` (django-ninja takes any ``resolve_<field>``
static method of the schema)."""


def related(path: str) -> staticmethod:
    """The value at a dotted path of attributes (``"issuer.code"``); None where a link on
    the way is empty (an optional foreign key, read without a query)."""
    names = path.split(".")

    def resolve(obj):
        for name in names:
            if obj is None:
                return None
            obj = getattr(obj, name)
        return obj

    return staticmethod(resolve)


def choice_name(field: str) -> staticmethod:
    """The name shown for a choice field's value (``get_<field>_display``), as a string."""
    method = f"get_{field}_display"

    def resolve(obj) -> str:
        return str(getattr(obj, method)())

    return staticmethod(resolve)
