"""The cash ledger — 商港服務費福利專款現金收支登記簿 (DOMAIN.md §10, §11; guide §2.8), in rooms:

* ``codes``: the guide's parameter table (字 · 號 → 項目, 摘要(一), allowed 動支類別 and 動支帳戶) and
  ``fill_from_code``;
* ``sheet``: the printed sheet and the typed fields, declared once (``LEDGER_LAYOUT``, ``ENTRY_FIELDS``);
* ``entries``: the ``LedgerBook`` of a year and its entries as typed values (``parse_entries``);
* ``balances``: the one running balance of the accounts and the fund's sources (``RunningBalances``),
  updated from an edited entry on;
* ``derivation``: the year-end final accounts and training expenses, and the next year's header;
* ``quarters``: the quarterly submission (``QUARTER_MONTHS``, ``quarter_slice``).

The ledger's rules are with the other rules. The rooms import one another in that order, and none
imports the project or the rules: a ledger is a plain book, the project holds one per year.
"""
