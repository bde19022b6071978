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
        total = counts.of_query(query)
        pages = max(1, math.ceil(total / per_page))
        page = min(max(1, page), pages)
        return cls(list(query.paginate(page, per_page)), total, page, per_page)

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
