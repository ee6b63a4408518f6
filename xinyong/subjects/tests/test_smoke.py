from xinyong.subjects import selectors, services


def test_register_and_find_by_two_character_name(actors):
    s = services.organization_register(
        actor=actors["market_clerk"], uscc="914403001922038216", name="华为技术有限公司"
    )
    page = selectors.subject_search(q="华为")
    assert [r.pk for r in page.results] == [s.pk]
    assert selectors.subject_search(q="技术有限").results[0].uscc == "914403001922038216"
    assert selectors.subject_search(q="科技").results == []
