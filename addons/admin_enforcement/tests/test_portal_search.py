"""The public decision search over many decisions: Chinese substrings of any
length find exactly the decisions that contain them, the search's own SQL is
served by an index (pg_trgm from 3 characters, the 1-2 character gram index
below), and the count stops at ``COUNT_CAP``."""
from datetime import date
from urllib.parse import urlencode

from odoo.tests import HttpCase, tagged
from odoo.tools import SQL

from ..models.enforcement_publication import COUNT_CAP
from .chinese import load_chinese
from .test_portal_publication import setup_portal_fixture

#: Bulk decisions, as the public sees them on a busy portal: masked persons
#: (王某某) and companies (城关县王记商贸有限公司17). No 张, 华 or 联 in them.
BULK = 20_000
SURNAMES = "王李刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑"
BULK_INSERT = """
INSERT INTO enforcement_publication (
    agency_id, company_id, title, decision_number, decision_category, severity, decided_on, party_type,
    party_name, conclusion, public_title, public_party, public_conclusion, redaction_confirmed, state,
    publish_due, published_on, create_uid, create_date, write_uid, write_date)
SELECT %(agency)s, %(company)s, t.party || '销售不合格商品案',
       '批量市监处罚〔' || (2024 + mod(g, 3)) || '〕' || lpad(g::text, 6, '0') || '号', 'penalty', 'general',
       DATE '2024-01-01' + (mod(g, 1000)), CASE WHEN mod(g, 3) = 0 THEN 'organisation' ELSE 'person' END,
       t.party, '罚款人民币' || (mod(g, 50) + 1) * 1000 || '元。', t.party || '销售不合格商品案', t.party,
       '罚款人民币' || (mod(g, 50) + 1) * 1000 || '元。', true, 'published',
       DATE '2024-01-11' + (mod(g, 1000)), DATE '2024-01-06' + (mod(g, 1000)), 1, now(), 1, now()
FROM generate_series(1, %(count)s) AS g,
     LATERAL (SELECT CASE WHEN mod(g, 3) = 0
                 THEN '城关县' || substr(%(surnames)s, 1 + mod(g, 20), 1) || '记商贸有限公司' || g
                 ELSE substr(%(surnames)s, 1 + mod(g, 20), 1) || '某某' END AS party) AS t
"""


@tagged("post_install", "-at_install")
class TestPortalSearch(HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_chinese(cls.env)
        setup_portal_fixture(cls)
        Publication = cls.env["enforcement.publication"]

        def decision(number, party, party_type, title, conclusion):
            publication = Publication.create({
                "agency_id": cls.agency.id, "decision_number": number, "decision_category": "penalty",
                "decided_on": date(2026, 11, 2), "party_type": party_type, "party_name": party,
                "title": title, "conclusion": conclusion,
            })
            publication.action_confirm_redaction()
            publication.action_publish()
            return publication.decision_number

        cls.supermarket = decision(
            "检索市监处罚〔2026〕0001号", "城关县华联超市有限公司", "organisation",
            "城关县华联超市有限公司销售过期食品案", "罚款人民币8000元。")
        cls.hardware = decision(
            "检索市监处罚〔2026〕0002号", "华联五金商行", "organisation", "华联五金商行销售不合格插座案", "警告。")
        cls.person = decision("检索市监处罚〔2026〕0003号", "张三", "person",
                              "张三未取得许可经营案", "罚款人民币2000元。")
        cls.grain = decision(
            "检索市监处罚〔2026〕0004号", "联合利民粮油店", "organisation", "联合利民粮油店销售过期食品案",
            "没收过期食品，罚款人民币3000元。")
        cls.env.flush_all()
        cls.env.cr.execute(SQL(BULK_INSERT, agency=cls.agency.id, company=cls.company.id, count=BULK,
                               surnames=SURNAMES))
        # What autovacuum does on a live database: move the GIN indexes' pending
        # entries into the index proper (the planner prices a long pending list
        # as a scan of it), and gather statistics.
        cls.env.cr.execute("""
            SELECT gin_clean_pending_list(index.indexrelid::regclass)
              FROM pg_index index JOIN pg_class class ON class.oid = index.indexrelid
              JOIN pg_am method ON method.oid = class.relam
             WHERE index.indrelid = 'enforcement_publication'::regclass AND method.amname = 'gin'""")
        cls.env.cr.execute("ANALYZE enforcement_publication")
        cls.Publication = Publication

    def _numbers(self, **params):
        """Decision numbers the search finds (of every agency, the demo data's included)."""
        domain = self.Publication._public_search_domain(**params)
        return set(self.Publication.browse(self.Publication._public_query(domain)).mapped("decision_number"))

    def test_chinese_substrings_of_any_length_find_exactly_the_matching_decisions(self):
        """Each search returns what a plain substring test over every public row returns."""
        public = self.Publication.browse(self.Publication._public_query([]))
        rows = [(p.decision_number, p.public_party, p.public_title, p.public_conclusion) for p in public]
        cases = [
            ("party", "华联超市"), ("party", "华联"), ("party", "联"), ("party", "张某"),
            ("party", "王某某"), ("party", "王记商贸"), ("party", "商贸有限公司1999"),
            ("keyword", "食品"), ("keyword", "过期食品"),
            ("keyword", "插座"), ("keyword", "罚款人民币8000"), ("number", "检索"), ("number", "0002号"),
            ("number", "〔2025〕00012"),
        ]
        for key, value in cases:
            with self.subTest(key=key, value=value):
                if key == "party":
                    expected = {number for number, party, _t, _c in rows if value in party}
                elif key == "keyword":
                    expected = {number for number, _p, title, result in rows
                                if value in title or value in result}
                else:
                    expected = {number for number, _p, _t, _c in rows if value in number}
                self.assertTrue(expected, "every case finds something")
                self.assertEqual(self._numbers(**{key: value}), expected)
        here = self.agency.id
        self.assertEqual(self._numbers(party="华联", agency_id=here), {self.supermarket, self.hardware})
        self.assertEqual(self._numbers(keyword="食品", agency_id=here), {self.supermarket, self.grain})
        self.assertFalse(self._numbers(party="张三"), "the real name of a person is not a search key")

    def test_search_form_finds_two_character_party_and_keyword(self):
        for params, found, absent in [
            ({"party": "华联"}, [self.supermarket, self.hardware], [self.grain, self.person]),
            ({"keyword": "食品"}, [self.supermarket, self.grain], [self.hardware, self.person]),
            ({"party": "张某", "keyword": "许可"}, [self.person], [self.supermarket]),
        ]:
            with self.subTest(params=params):
                page = self.url_open("/enforcement/public/decisions?" + urlencode(params)).text
                for number in found:
                    self.assertIn(number, page)
                for number in absent:
                    self.assertNotIn(number, page)

    def _plan(self, sql):
        self.env.cr.execute(SQL("EXPLAIN %s", sql))
        return "\n".join(row[0] for row in self.env.cr.fetchall())

    def test_search_sql_is_served_by_the_substring_indexes(self):
        """EXPLAIN of the portal's own page and count queries, on 20,000 decisions."""
        trigram = self.Publication._search_uses_trigram()
        grams = "enforcement_publication__%s_grams_index"
        long_index = "enforcement_publication__%s_index" if trigram else grams
        cases = [
            ({"party": "华联超市"}, long_index % "public_party"),
            ({"party": "华联"}, grams % "public_party"),
            ({"party": "张某"}, grams % "public_party"),
            ({"keyword": "过期食品"}, long_index % "public_title"),
            ({"keyword": "食品"}, grams % "public_title"),
            ({"number": "检索"}, grams % "decision_number"),
        ]
        for params, index in cases:
            domain = self.Publication._public_search_domain(**params)
            page = self.Publication._public_query(domain, limit=20)
            count = self.Publication._public_query(domain, limit=COUNT_CAP + 1, order=None)
            counted = SQL("SELECT COUNT(*) FROM (%s) t", count.select(""))  # as Query.__len__ runs it
            for label, sql in (("page", page.select()), ("count", counted)):
                with self.subTest(params=params, query=label):
                    plan = self._plan(sql)
                    self.assertIn(f"Index Scan on {index}", plan)
                    self.assertNotIn("Seq Scan on enforcement_publication", plan)

    def test_count_stops_at_the_cap_and_the_pager_with_it(self):
        page = self.url_open("/enforcement/public/decisions?page=999").text
        self.assertIn(f"超过 {COUNT_CAP} 条", page)
        last = COUNT_CAP // 20
        self.assertIn(f"{last} / {last}", page, "the pager ends at the cap")
        page = self.url_open("/enforcement/public/decisions?" + urlencode({"party": "华联"})).text
        self.assertNotIn(f"超过 {COUNT_CAP} 条", page)
        self.assertEqual(self.Publication._public_count([]), COUNT_CAP + 1)
