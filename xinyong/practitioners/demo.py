"""The demo city's practitioner credit files: the housing and construction bureau (住建)
keeps two professions — registered constructors (一级注册建造师), whose rule publishes the
name, the certificate number, the employer and the validity, so that the portal's column
(从业人员信息公示) shows them; and supervising engineers (注册监理工程师), whose rule
publishes nothing, so that they appear nowhere public. Its clerk registers a few of the
city's persons in each. Idempotent: made once."""

import datetime

from xinyong.accounts.actors import Actor
from xinyong.accounts.models import User
from xinyong.practitioners import services
from xinyong.practitioners.choices import PublicField
from xinyong.practitioners.models import Profession
from xinyong.subjects import demo
from xinyong.subjects.models import Subject

PUBLISHED = "constructor"  # the profession whose rule publishes named fields
CONSTRUCTOR_BASIS = (
    "《注册建造师管理规定》（建设部令第153号）：注册建造师的注册信息和信用档案信息"
    "按照有关规定向社会公示（演示城市设定）"
)
CONSTRUCTORS, ENGINEERS = 4, 2  # persons 0..3 and 4..5 of the city


def build_practitioners(*, seed: int, total: int, office: str = "xyb_admin",
                        clerk: str = "zj_clerk") -> int:  # fmt: skip
    """The two professions (by the credit office) and their practitioners (by the bureau's
    clerk), once. Returns the practitioners registered."""
    users = {u.username: u for u in User.objects.filter(username__in=(office, clerk))}
    if len(users) < 2 or Profession.objects.filter(code=PUBLISHED).exists():
        return 0
    operator, registrar = Actor.for_user(users[office]), Actor.for_user(users[clerk])
    services.profession_save(
        actor=operator, code=PUBLISHED, name="一级注册建造师", department_code="ZJ",
        items=["practitioner_record", "professional_qualification"],
        public_fields=[PublicField.NAME, PublicField.LICENCE, PublicField.EMPLOYER,
                       PublicField.VALIDITY],
        publish_basis=CONSTRUCTOR_BASIS,
    )  # fmt: skip
    services.profession_save(
        actor=operator, code="supervising_engineer", name="注册监理工程师",
        department_code="ZJ", items=["practitioner_record"],
    )  # fmt: skip
    people = list(demo.persons(seed, 0, min(CONSTRUCTORS + ENGINEERS, demo.split(total)["person"])))
    employers = list(
        Subject.objects.filter(kind="organization", legal_form="有限责任公司", status="active")
        .order_by("pk")[:CONSTRUCTORS]
    )  # fmt: skip
    made = 0
    for n, person in enumerate(people):
        constructor = n < CONSTRUCTORS
        start = datetime.date(2019 + n % 5, 3 + n, 1)
        employer = employers[n % len(employers)].uscc if constructor and employers else ""
        services.practitioner_register(
            actor=registrar, profession=PUBLISHED if constructor else "supervising_engineer",
            id_type="resident_id", id_number=person.resident_id, name=person.name,
            licence_no=(f"信133{start.year}{n + 1:06d}" if constructor
                        else f"JL-{start.year}-{n + 1:04d}"),
            employer_uscc=employer, valid_from=start,
            valid_to=start.replace(year=start.year + 8) if n % 2 == 0 else None,
        )  # fmt: skip
        made += 1
    return made
