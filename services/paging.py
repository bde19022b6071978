"""One page of a longer list: what list pages and their "Next page" links need."""
import math


class Page:
    """Items of one page, with the total, the page number (1-based) and the page count."""

    def __init__(self, items, total, page, per_page):
        self.items = items
        self.total = total
        self.page = page
        self.per_page = per_page
        self.pages = max(1, math.ceil(total / per_page))

    @classmethod
    def of_query(cls, query, page, per_page=25):
        """Run a peewee query for one page; an out-of-range page number clamps. A large
        total may be up to a minute old (services/counts.py)."""
        from services import counts
        page = max(1, page)
        items = list(query.paginate(page, per_page))
        if page == 1 and len(items) < per_page:  # the whole list: no count needed
            return cls(items, len(items), 1, per_page)
        total = counts.of_query(query)
        pages = max(1, math.ceil(total / per_page))
        if page > pages:
            page = pages
            items = list(query.paginate(page, per_page))
        return cls(items, total, page, per_page)

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
