"""services/search.py: keyword and filters over teachers, schools and projects (P-3, L-2)."""
import json

import pytest

from models import PartnerState, Project, ProjectPartner, ProjectSubject, User, db
from services import search
from tests.factories import make_school, make_user


@pytest.fixture
def dbx(app):
    db.connect(reuse_if_open=True)
    yield db


def teacher(name, *, listed=True, school_public=False, subjects=(), ages=(), **kwargs):
    user = make_user(name=name, subjects=subjects, age_ranges=ages, **kwargs)
    levels = {"name": "public" if listed else "members"}
    if school_public:
        levels["school"] = "public"
    user.set_visibility(levels)
    user.save()
    search.index_teacher(user)
    return user


def names(page):
    return [item.name for item in page.items]


def project(title, founder, *, public=True, description="", subjects=(), partners=()):
    p = Project.create(title=title, description=description, founder=founder, is_public=public)
    ProjectPartner.create(project=p, user=founder, state=PartnerState.ACCEPTED)
    for user, state in partners:
        ProjectPartner.create(project=p, user=user, state=state)
    for code in subjects:
        ProjectSubject.create(project=p, code=code)
    search.index_project(p)
    return p


def test_keyword_finds_by_name_accent_insensitive_and_by_prefix(dbx):
    teacher("José Álvarez")
    teacher("Marie Curie")
    assert names(search.search_teachers(keyword="jose alvarez")) == ["José Álvarez"]
    assert names(search.search_teachers(keyword="ÁLVA")) == ["José Álvarez"]
    assert names(search.search_teachers(keyword="curie marie")) == ["Marie Curie"]
    assert search.search_teachers(keyword="curie jose").total == 0


def test_keyword_finds_by_subject_in_english_and_spanish(dbx):
    teacher("Ana", subjects=["maths"])
    teacher("Luis", subjects=["history"])
    for keyword in ("mathematics", "Matemáticas", "matematicas", "historia", "History"):
        page = search.search_teachers(keyword=keyword)
        assert page.total == 1, keyword
    assert names(search.search_teachers(keyword="historia")) == ["Luis"]


def test_public_search_hides_unlisted_teachers_and_private_schools(dbx):
    school = make_school(name="IES Alcalá de Henares", city="Alcalá")
    teacher("Listed Private", school=school)
    teacher("Listed Public", school=school, school_public=True)
    teacher("Unlisted Person", listed=False, school=school)
    assert names(search.search_teachers(keyword="alcala")) == ["Listed Public"]
    assert search.search_teachers(keyword="unlisted").total == 0
    assert {u.name for u in search.search_teachers().items} == {"Listed Private",
                                                                "Listed Public"}
    members = search.search_teachers(keyword="Alcala", public_only=False)
    assert sorted(names(members)) == ["Listed Private", "Listed Public", "Unlisted Person"]
    assert names(search.search_teachers(keyword="unlisted", public_only=False)) == [
        "Unlisted Person"]
    assert members.items[0].school.name == "IES Alcalá de Henares"  # joined


def test_disabled_and_non_teachers_are_never_found(dbx):
    teacher("Gone Teacher", disabled=True)
    user = make_user(role="nss", name="Staff Person")
    search.index_teacher(user)
    assert search.search_teachers(keyword="gone", public_only=False).total == 0
    assert search.search_teachers(keyword="staff", public_only=False).total == 0


def test_filters_country_subject_age(dbx):
    teacher("A Es", country="ES", subjects=["maths"], ages=["6-11"])
    teacher("B Fr", country="FR", subjects=["maths"], ages=["12-15"])
    teacher("C Es", country="ES", subjects=["art"], ages=["12-15"])
    assert names(search.search_teachers(country="ES")) == ["A Es", "C Es"]
    assert names(search.search_teachers(country="es")) == ["A Es", "C Es"]
    assert names(search.search_teachers(subject="maths")) == ["A Es", "B Fr"]
    assert names(search.search_teachers(age_range="12-15")) == ["B Fr", "C Es"]
    assert names(search.search_teachers(country="ES", subject="art",
                                        age_range="12-15")) == ["C Es"]
    assert names(search.search_teachers(keyword="es", country="ES", subject="maths")) == [
        "A Es"]
    assert names(search.search_teachers(keyword="mathematics", age_range="12-15")) == ["B Fr"]


@pytest.mark.parametrize("kwargs", [
    {"country": "XX"}, {"country": "'; DROP TABLE user; --"}, {"subject": "alchemy"},
    {"age_range": "99+"}, {"subject": "maths", "age_range": "nope"},
])
def test_unknown_filter_values_give_an_empty_result(dbx, kwargs):
    teacher("Someone", subjects=["maths"], ages=["6-11"])
    for fn in (search.search_teachers, search.search_projects):
        page = fn(**kwargs)
        assert page.items == [] and page.total == 0 and page.pages == 1
    if set(kwargs) == {"country"}:
        assert search.search_schools(**kwargs).total == 0


@pytest.mark.parametrize("keyword", [
    '"', '"unbalanced', "*", "a*", "NEAR(a b)", "x AND", "OR", "NOT y", "(", "((a)",
    "name:x", "^start", "-minus", "pub:foo", "tags : zzces", "'; --", "\\", "%", "_",
    "x" * 10_000, "junk word " * 1000, "ñ" * 300, "🎉 emoji", "a b c d e f g h i j k l",
])
def test_fts_syntax_and_huge_keywords_never_raise(dbx, keyword):
    teacher("Ordinary Teacher", subjects=["maths"])
    make_school(name="Ordinary School")
    for public_only in (True, False):
        search.search_teachers(keyword=keyword, public_only=public_only)
        search.search_projects(keyword=keyword, public_only=public_only)
    search.search_schools(keyword=keyword)


def test_keyword_without_usable_token_is_no_filter(dbx):
    teacher("Ordinary Teacher")
    assert search.search_teachers(keyword='"*" ( ) - ^ :').total == 1
    assert search.search_teachers(keyword="AND OR NOT").total == 1


def test_filter_tags_cannot_be_searched_as_words(dbx):
    teacher("Ordinary Teacher", country="ES", subjects=["art"])
    assert search.search_teachers(keyword="zzces").total == 0
    assert search.search_teachers(keyword="zzs0", public_only=False).total == 0


def test_relevance_ordering_and_name_ordering(dbx):
    teacher("Zoe Brown")
    teacher("Adam Brown")
    teacher("Brown Brown Brown")
    page = search.search_teachers()
    assert names(page) == ["Adam Brown", "Brown Brown Brown", "Zoe Brown"]
    ranked = search.search_teachers(keyword="brown")
    assert ranked.total == 3 and names(ranked)[0] == "Brown Brown Brown"


def test_members_ranked_search_keeps_the_order_and_leaves_out_contacts_only_names(dbx):
    teacher("Zoe Brown", listed=False)
    teacher("Brown Brown Brown", listed=False)
    hidden = teacher("Brown Brown Brown Brown", listed=False)
    hidden.set_visibility({"name": "contacts"})
    hidden.save()
    search.index_teacher(hidden)
    teacher("Adam Brown", listed=False)
    ranked = search.search_teachers(keyword="brown", public_only=False)
    # Ranked by the keyword (the repeated name first), ties by id; the member tag only filters.
    assert ranked.total == 3
    assert names(ranked) == ["Brown Brown Brown", "Zoe Brown", "Adam Brown"]
    second = search.search_teachers(keyword="brown", public_only=False, page=2, per_page=2)
    assert names(second) == ["Adam Brown"]


def test_pagination_is_clamped(dbx):
    for i in range(5):
        teacher(f"Teacher {i:02d}")
    page = search.search_teachers(page=99, per_page=2)
    assert (page.page, page.pages, page.total) == (3, 3, 5)
    assert names(page) == ["Teacher 04"] and page.has_prev and not page.has_next
    page = search.search_teachers(page=-4, per_page=2)
    assert page.page == 1 and not page.has_prev and page.has_next
    assert names(page) == ["Teacher 00", "Teacher 01"]
    page = search.search_teachers(page="junk", per_page=0)
    assert page.page == 1 and page.per_page == 1
    empty = search.search_teachers(keyword="nobody", page=5)
    assert (empty.page, empty.pages, empty.total, empty.items) == (1, 1, 0, [])
    assert not empty.has_prev and not empty.has_next


def test_schools_by_keyword_and_country_with_teacher_count(dbx):
    madrid = make_school(country="ES", name="Colegio Cervantes", city="Madrid")
    make_school(country="FR", name="Lycée Molière", city="Paris")
    make_school(country="ES", name="IES Empty", city="Sevilla")
    make_user(school=madrid)
    make_user(school=madrid)
    make_user(school=madrid, disabled=True)
    search.reindex_all()
    page = search.search_schools(keyword="cervantes")
    assert [s.name for s in page.items] == ["Colegio Cervantes"]
    assert page.items[0].teacher_count == 2
    assert [s.name for s in search.search_schools(keyword="lycee moliere")] == ["Lycée Molière"]
    assert [s.name for s in search.search_schools(keyword="paris")] == ["Lycée Molière"]
    es = search.search_schools(country="ES")
    assert [(s.name, s.teacher_count) for s in es] == [("Colegio Cervantes", 2),
                                                       ("IES Empty", 0)]
    assert search.search_schools(keyword="madrid", country="FR").total == 0


def test_renaming_a_school_reindexes_its_teachers(dbx):
    school = make_school(name="Old Name School")
    teacher("Pat", school=school, school_public=True)
    school.name = "Brand New Academy"
    school.save()
    search.index_school(school)
    assert names(search.search_teachers(keyword="academy")) == ["Pat"]
    assert search.search_teachers(keyword="old name").total == 0
    assert search.search_schools(keyword="brand").total == 1


def test_projects_public_only_keyword_and_filters(dbx):
    es = teacher("Founder Es", country="ES")
    fr = teacher("Partner Fr", country="FR")
    it = teacher("Invited It", country="IT")
    project("Water of the Rivers", es, description="We measure rivers", subjects=["biology"],
            partners=[(fr, PartnerState.ACCEPTED), (it, PartnerState.INVITED)])
    project("Secret Garden", es, public=False, subjects=["art"])
    assert [p.title for p in search.search_projects()] == ["Water of the Rivers"]
    assert search.search_projects(keyword="garden").total == 0
    assert search.search_projects(keyword="garden", public_only=False).total == 1
    page = search.search_projects(keyword="river measure")
    assert [p.title for p in page] == ["Water of the Rivers"]
    assert page.items[0].founder.name == "Founder Es"  # joined
    assert search.search_projects(country="FR").total == 1
    assert search.search_projects(country="IT").total == 0
    assert search.search_projects(subject="biology", country="ES").total == 1
    assert search.search_projects(subject="art").total == 0
    assert search.search_projects(subject="art", public_only=False).total == 1
    assert search.search_projects(keyword="rivers", subject="art").total == 0


def test_remove_teacher_and_project(dbx):
    user = teacher("To Remove")
    p = project("Temporary Project", user)
    search.remove_project(p.id)
    assert search.search_projects(keyword="temporary").total == 0
    search.remove_teacher(user.id)
    assert search.search_teachers(keyword="remove").total == 0


def test_index_teacher_follows_changes(dbx):
    user = teacher("Chris Changer", subjects=["music"])
    user.set_subjects(["physics"])
    user.set_visibility({"name": "members"})
    user.save()
    search.index_teacher(user)
    assert search.search_teachers(keyword="chris").total == 0
    assert names(search.search_teachers(keyword="physics", public_only=False)) == [
        "Chris Changer"]
    assert search.search_teachers(keyword="music", public_only=False).total == 0
    user.disabled = True
    user.save()
    search.index_teacher(user)
    assert search.search_teachers(keyword="chris", public_only=False).total == 0


def test_reindex_all_makes_every_row_findable(dbx):
    school = make_school(name="Reindexed School", city="Lisboa", country="PT")
    user = make_user(name="Raw Teacher", school=school, country="PT", subjects=["music"])
    user.set_visibility({"name": "public", "school": "public"})
    user.save()
    User.update(name="Raw Renamed").where(User.id == user.id).execute()
    p = Project.create(title="Raw Project", founder=user, is_public=True)
    ProjectPartner.create(project=p, user=user, state=PartnerState.ACCEPTED)
    assert search.search_teachers(keyword="raw").total == 0  # nothing indexed yet
    counts = search.reindex_all()
    assert counts == {"teachers": 1, "schools": 1, "projects": 1}
    assert names(search.search_teachers(keyword="renamed lisboa música")) == ["Raw Renamed"]
    assert search.search_schools(keyword="reindexed").total == 1
    assert search.search_projects(keyword="raw", country="PT").total == 1
    search.reindex_all()  # twice: no duplicates
    assert search.search_teachers(keyword="raw").total == 1


def test_visibility_json_matches_the_model_rule(dbx):
    school = make_school(name="Hidden Academy")
    user = teacher("Vis Teacher", school=school)
    User.update(profile_visibility=json.dumps({"name": "public", "school": "contacts"})).where(
        User.id == user.id).execute()
    search.index_teacher(user)
    assert search.search_teachers(keyword="hidden").total == 0
    # A school kept for contacts is not searchable by members either.
    assert search.search_teachers(keyword="hidden", public_only=False).total == 0
    assert search.search_teachers(keyword="vis", public_only=False).total == 1


def test_a_name_kept_for_contacts_hides_the_teacher_from_members(dbx):
    user = teacher("Zorro Quixote")
    User.update(profile_visibility=json.dumps({"name": "contacts"})).where(
        User.id == user.id).execute()
    search.index_teacher(user)
    assert search.search_teachers(keyword="zorro", public_only=False).total == 0
    assert "Zorro Quixote" not in names(search.search_teachers(public_only=False))


def test_large_keyword_results_fall_back_to_id_order(dbx, monkeypatch):
    first = teacher("Brown Zed")
    second = teacher("Brown Brown Brown")
    assert names(search.search_teachers(keyword="brown"))[0] == "Brown Brown Brown"
    assert search.search_teachers(keyword="brown").more is False
    monkeypatch.setattr(search, "COUNT_CAP", 1)
    page = search.search_teachers(keyword="brown")
    assert [u.id for u in page.items] == [first.id] and page.total == 1 and page.more
    assert page.pages == 1 and not page.has_next  # only the first COUNT_CAP are paged


def test_teachers_filter_by_role_in_the_community(app):
    head = make_user(name="Helena Head")
    head.community_role = "head_teacher"
    head.save()
    search.index_teacher(head)
    make_user(name="Tomas Teacher")
    search.reindex_all()
    found = search.search_teachers(role="head_teacher", public_only=False)
    assert [u.name for u in found.items] == ["Helena Head"]
    with_keyword = search.search_teachers(keyword="helena", role="head_teacher",
                                          public_only=False)
    assert with_keyword.total == 1
    assert search.search_teachers(keyword="tomas", role="head_teacher",
                                  public_only=False).total == 0
    assert search.search_teachers(role="wizard", public_only=False).total == 0
