"""Hostile packages in an exchange node's inbox: a file name climbing out of the package, a
manifest that is not JSON or lists no files, a file the manifest does not list, an item
outside the catalog, a package unsigned or signed by another key when the node's key is on
file — each refused whole under its rule, nothing submitted, the package moved aside."""

import json

import pytest

from xinyong.accounts.actors import SYSTEM
from xinyong.exchange import files, nodes
from xinyong.exchange.fileservices import package_import
from xinyong.exchange.tests.test_files import UPPER, _csv, designation, drop, upper  # noqa: F401
from xinyong.ingest.models import Batch
from xinyong.reports import signing

pytestmark = pytest.mark.django_db
ROW = _csv([designation(1)])


def _bad_name(pkg):
    m = json.loads((pkg / files.MANIFEST).read_bytes())
    m["files"][0]["name"] = "../../outbox/x.csv"
    (pkg / files.MANIFEST).write_bytes(files.manifest_bytes(m))


def _not_json(pkg):
    (pkg / files.MANIFEST).write_bytes(b"\xff{not json")


def _no_files(pkg):
    m = json.loads((pkg / files.MANIFEST).read_bytes())
    (pkg / files.MANIFEST).write_bytes(files.manifest_bytes(m | {"files": []}))


def _unlisted(pkg):
    (pkg / "extra.csv").write_bytes(ROW)


def _no_manifest(pkg):
    (pkg / files.MANIFEST).unlink()


@pytest.mark.parametrize(
    "spoil, rule",
    [(_bad_name, "file.name"), (_not_json, "manifest.unreadable"), (_no_files, "manifest.field"),
     (_unlisted, "file.unlisted"), (_no_manifest, "manifest.missing")],
)  # fmt: skip
def test_a_hostile_package_is_refused_under_its_rule(upper, spoil, rule):  # noqa: F811
    pkg = drop("evil", {"md.csv": ("serious_dishonesty_entry", ROW)})
    spoil(pkg)
    done = package_import(actor=SYSTEM, package=pkg)
    assert (done.status, done.rule) == ("rejected", rule)
    assert not Batch.objects.exists() and not pkg.exists()
    assert not (nodes.folder(UPPER, "outbox") / "x.csv").exists()


def test_an_item_outside_the_catalog_is_refused(upper):  # noqa: F811
    pkg = drop("odd", {"x.csv": ("no_such_item", ROW)})
    assert package_import(actor=SYSTEM, package=pkg).rule == "file.item"


def test_with_the_nodes_key_on_file_the_manifest_must_be_signed_by_it(upper):  # noqa: F811
    _kid, public = signing.current_public()
    upper.public_key = public
    upper.save()
    unsigned = drop("unsigned", {"md.csv": ("serious_dishonesty_entry", ROW)})
    assert package_import(actor=SYSTEM, package=unsigned).rule == "manifest.signature"
    signed = drop("signed", {"md.csv": ("serious_dishonesty_entry", ROW)})
    manifest = json.loads((signed / files.MANIFEST).read_bytes())
    (signed / files.SIGNATURE).write_bytes(files.manifest_sign(manifest))
    files.signature_check(signed, manifest, public)  # passes
    manifest["to_node"] = "ELSEWHERE"  # a manifest changed after signing
    with pytest.raises(files.PackageRefused, match="签名"):
        files.signature_check(signed, manifest, public)
