"""One page of a longer list: what list pages and their "Next page" links need."""
import math


class Page:
    """Items of one page, with the total, the page number (1-based) and the page count."""

    def __init__(self, items, total, page, per_page, more=False):
        self.items = items
        self.total = total
        self.more = more  # more than `total` match; only `total` are paged (a capped count)
        self.page = page
        self.per_page = per_page
        self.pages = max(1, math.ceil(total / per_page))

    @classmethod
    def of_query(cls, query, page, per_page=25, count_query=None, cap=None):
        """Run a peewee query for one page; an out-of-range page number clamps. A large
        total may be up to a minute old (services/counts.py). `count_query`, when given,
        counts the same rows more cheaply (the list without its LEFT OUTER JOINs, say).
        With `cap`, at most that many rows are counted and paged (`more` says there are
        others): counting 360,000 accounts cost more than the rest of the page."""
        from services import counts
        page = max(1, page)
        if cap is not None:
            page = min(page, max(1, math.ceil(cap / per_page)))
        items = list(query.paginate(page, per_page))
        if page == 1 and len(items) < per_page:  # the whole list: no count needed
            return cls(items, len(items), 1, per_page)
        counted = query if count_query is None else count_query
        total = counts.of_query(counted if cap is None else counted.limit(cap + 1))
        more = cap is not None and total > cap
        if more:
            total = cap
            items = items[:max(0, cap - (page - 1) * per_page)]
        pages = max(1, math.ceil(total / per_page))
        if page > pages:
            page = pages
            items = list(query.paginate(page, per_page))
        return cls(items, total, page, per_page, more)

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.pages

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)
