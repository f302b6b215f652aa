"""The web edition: a static site of HTML pages, zipped and unpacked into `<stem>-web/`,
its page anchors from the print page map."""

from publish.editions import Check, Edition, register

WEB = register(Edition(
    name="web",
    suffix="-web.zip",
    layer="web",
    render="publish.site.render:render_site",
    needs_page_map=True,
    unpacked=True,
    checks=(Check("publish.check.web:nu_checker"), Check("publish.check.web:structure")),
    semantics="publish.check.webtree:read_semantics",
    env=("SOURCE_DATE_EPOCH",),  # the time stamped on its zip entries
))
