"""Schema of the company's own files in ``site_config/`` (what a fork changes)."""

from __future__ import annotations

from pydantic import Field

from generator.schema.base import Strict, Text


class Contact(Strict):
    """A person the debtor can reach, by role."""

    name: Text
    """Full name."""
    title: str = ""
    """Job title, e.g. «财务经理»."""
    phone: str = ""
    """Phone number as printed on letters."""
    email: str = ""
    """E-mail address."""


class Company(Strict):
    """``site_config/company.yaml``: the creditor, shown on the site, printouts and letters."""

    name: Text
    """全称: the registered name, exactly as on the company seal."""
    short_name: Text
    """简称, used in the site header and page footers."""
    address: Text
    """Registered or mailing address for letters."""
    postcode: str = ""
    """邮政编码."""
    phone: Text
    """Main phone number."""
    bank_name: Text
    """开户行 for payments."""
    bank_account: Text
    """银行账号 for payments."""
    contacts: dict[str, Contact] = Field(default_factory=dict)
    """Contacts by role, e.g. ``finance``, ``sales``, ``legal``."""
    letter_contact: str = "finance"
    """Which role in ``contacts`` signs and answers letters."""
    seal_label: str = "（盖章）"
    """Text printed where the company seal goes (印章位置)."""
    logo: str = ""
    """Optional logo file, relative to ``site_config/`` (PNG or SVG)."""
    site_url: str = ""
    """Where the site is published, e.g. ``https://intranet.example/playbook/``; needed when it
    is served under a sub-path, so that ``404.html`` links into that path and not the server root."""
    reference_pattern: str = "{short_name}催字〔{year}〕第{seq:04d}号"
    """函号 pattern; fields: ``short_name``, ``year``, ``month``, ``seq``, ``template``, ``customer_no``."""
    answer_keys_on_site: bool = True
    """Whether the trainer kits (answer keys, 讲师手册, slides, tests …) are published on the site's
    «讲师资料» page; ``false`` leaves them out of the site entirely (trainers print them with
    ``playbook print``)."""


class SearchWords(Strict):
    """``defaults/search.yaml`` and ``site_config/search.yaml``: the search lexicon (merged, additive)."""

    words: list[Text] = Field(default_factory=list)
    """Company terms (product names, internal jargon) added to the jieba dictionary."""
    generic: list[Text] = Field(default_factory=list)
    """Generic words that must not decide the ranking (e.g. 客户, 怎么办); added to upstream's list."""
    synonyms: dict[Text, list[Text]] = Field(default_factory=dict)
    """Playbook term → the words people type for it (e.g. 恶意欠款: [赖账, 老赖]); added to upstream's."""
