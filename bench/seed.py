"""Scale data: N teachers (default 360,000, the platform's real size), N/6 schools across the
43 countries, N/4 projects, then the search index. Bulk inserts in big transactions, one
shared password hash; finishes in minutes.

Run: `python -m bench.seed [--teachers 360000] [--database URL]`
(default database: a fresh SQLite file instance/bench.db).
"""
import argparse
import datetime
import json
import os
import random
import time

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DATABASE = "sqlite:///" + os.path.join(HERE, "instance", "bench.db")

FIRST_NAMES = [
    "Ana", "María", "Lucía", "Carmen", "José", "Javier", "Pablo", "Elena", "Marta", "Sergio",
    "Claire", "Julien", "Camille", "Émilie", "Nicolas", "Sophie", "Théo", "Léa", "Hugo",
    "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sofia", "Matteo",
    "Anna", "Jan", "Katarzyna", "Piotr", "Agnieszka", "Tomasz", "Zofia", "Michał",
    "Lukas", "Hannah", "Jonas", "Lena", "Felix", "Mia", "Paul", "Emma", "Leon", "Klara",
    "João", "Inês", "Tiago", "Beatriz", "Rui", "Mariana", "Dimitris", "Eleni", "Nikos",
    "Ioana", "Andrei", "Elena", "Mihai", "Ivana", "Petar", "Milena", "Ahmet", "Ayşe",
    "Mehmet", "Zeynep", "Olena", "Andriy", "Nino", "Giorgi", "Anahit", "Aram", "Liis",
    "Jüri", "Aino", "Mikko", "Sanna", "Erik", "Ingrid", "Lars", "Astrid", "Søren", "Freja",
    "Sean", "Aoife", "Ciara", "Niamh", "Eva", "Tereza", "Martin", "Petra", "Zsófia",
    "Bence", "Gábor", "Réka", "Sara", "Omar", "Leila", "Yasmine", "Karim", "Rania",
]
SURNAMES = [
    "García", "Martínez", "López", "Sánchez", "Pérez", "Gómez", "Fernández", "Ruiz",
    "Álvarez", "Moreno", "Dubois", "Martin", "Bernard", "Lefèvre", "Moreau", "Laurent",
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
    "Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Müller",
    "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
    "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Papadopoulos",
    "Georgiou", "Popescu", "Ionescu", "Horvat", "Kovačević", "Novák", "Dvořák", "Nagy",
    "Kovács", "Tóth", "Yılmaz", "Kaya", "Demir", "Şahin", "Shevchenko", "Kovalenko",
    "Beridze", "Hovhannisyan", "Tamm", "Saar", "Virtanen", "Korhonen", "Nieminen",
    "Hansen", "Johansson", "Andersson", "Nielsen", "Jensen", "Murphy", "Kelly", "O'Brien",
    "Byrne", "Janssens", "Peeters", "De Jong", "Jansen", "Visser", "Borg", "Camilleri",
    "Berisha", "Hoxha", "Haddad", "Khoury", "Trabelsi", "Ben Ali", "Jovanović", "Petrović",
    "Dimitrov", "Ivanova", "Kazlauskas", "Bērziņš", "Novak", "Gashi", "Jónsson",
]
SCHOOL_KINDS = [
    "IES", "Colegio", "CEIP", "Escola", "Lycée", "Collège", "École", "Liceo", "Istituto",
    "Scuola", "Gymnasium", "Grundschule", "Realschule", "Szkoła", "Liceum", "Primary School",
    "Secondary School", "High School", "Academy", "Lyceum", "Școala", "Gimnazija", "Okul",
    "Skole", "Koulu", "Skola", "Basisschool", "Athénée",
]
SCHOOL_NAMES = [
    "Cervantes", "Miguel Hernández", "Antonio Machado", "Victor Hugo", "Jules Verne",
    "Marie Curie", "Galileo Galilei", "Leonardo da Vinci", "Dante Alighieri", "Goethe",
    "Schiller", "Copernicus", "Maria Skłodowska", "Camões", "Fernando Pessoa", "Comenius",
    "Erasmus", "Montessori", "Santa Teresa", "San José", "Saint-Exupéry", "Pasteur",
    "Europa", "Atlántico", "Mediterráneo", "Río Verde", "Sierra Nevada", "Los Olivos",
    "Les Tilleuls", "Monte Bianco", "Am Park", "Lindenhof", "Sibelius", "Andersen",
    "Tesla", "Mendel", "Vivaldi", "Mozart", "Chopin", "Ibsen", "Aristotle", "Socrates",
    "Rumi", "Ataturk", "Shevchenko", "Rustaveli", "Mesrop Mashtots", "Kristijonas",
    "Hunyadi", "Petőfi", "Eminescu", "Vasil Levski", "Njegoš", "Prešeren", "Joyce",
    "Yeats", "Rembrandt", "Van Gogh", "Rubens", "Magellan", "Columbus", "Alcalá",
]
CITIES = [
    "Madrid", "Alcalá", "Sevilla", "Valencia", "Zaragoza", "Paris", "Lyon", "Marseille",
    "Toulouse", "Roma", "Milano", "Napoli", "Torino", "Berlin", "München", "Hamburg", "Köln",
    "Warszawa", "Kraków", "Gdańsk", "Lisboa", "Porto", "Braga", "Athína", "Thessaloníki",
    "București", "Cluj", "Zagreb", "Split", "Praha", "Brno", "Budapest", "Debrecen",
    "İstanbul", "Ankara", "Kyiv", "Lviv", "Tbilisi", "Yerevan", "Tallinn", "Tartu",
    "Helsinki", "Tampere", "Oslo", "Bergen", "Stockholm", "Göteborg", "København", "Aarhus",
    "Dublin", "Cork", "Bruxelles", "Antwerpen", "Amsterdam", "Rotterdam", "Valletta",
    "Tirana", "Beirut", "Tunis", "Beograd", "Sofia", "Vilnius", "Rīga", "Ljubljana",
    "Luxembourg", "Reykjavík", "Chișinău", "Skopje", "Sarajevo", "Nicosia", "Amman", "Baku",
]
TITLE_WORDS = [
    "Water", "Rivers", "Climate", "Change", "Our", "Green", "Future", "Stories", "Cities",
    "Heritage", "Cultural", "Music", "Across", "Europe", "Digital", "Citizens", "Healthy",
    "Food", "Recipes", "Maths", "Games", "Robots", "Coding", "Kids", "Poetry", "Bridges",
    "Friends", "Letters", "Traditions", "Festivals", "Science", "Lab", "Space", "Stars",
    "Planet", "Forests", "Bees", "Oceans", "Plastic", "Free", "Art", "Museum", "Myths",
    "Legends", "Languages", "Voices", "Sport", "Olympics", "Peace", "Rights", "Media",
    "News", "Newspaper", "Photography", "Theatre", "Dance", "History", "Memories",
    "Inventors", "Energy", "Sustainable", "Garden", "Recycling", "Entrepreneurs", "Travel",
    "Maps", "Journey", "Agua", "Agua y vida", "Nuestro", "Planeta", "Música", "Historia",
]
DESCRIPTION_WORDS = [
    "pupils", "exchange", "letters", "videos", "collaborate", "online", "partner", "schools",
    "explore", "compare", "local", "traditions", "create", "ebook", "together", "share",
    "results", "survey", "experiments", "measure", "present", "final", "exhibition",
    "students", "learn", "about", "each", "other", "countries", "climate", "water",
    "intercultural", "skills", "creativity", "critical", "thinking", "english", "français",
]

SUBJECT_CODES = None
AGE_CODES = None


def _timed(label, func, *args):
    start = time.perf_counter()
    result = func(*args)
    print(f"{label:<34} {time.perf_counter() - start:7.1f} s", flush=True)
    return result


def _chunks(rows, size):
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _insert(db, model, fields, rows, size=None):
    """Bulk insert rows (tuples) in batches that fit the database's parameter limit."""
    size = size or max(1, 30000 // len(fields))
    with db.atomic():
        for chunk in _chunks(rows, size):
            model.insert_many(chunk, fields=fields).execute()


def seed(db, teachers, rng):
    from models import (PartnerState, Project, ProjectAgeRange, ProjectLanguage, ProjectPartner,
                        ProjectSubject, Role, School, User, UserAgeRange, UserSubject,
                        Validation)
    from services import accounts
    from services.reference import AGE_RANGES, CONTENT_LANGUAGES, COUNTRY_CODES, SUBJECTS

    subjects = list(SUBJECTS)
    ages = list(AGE_RANGES)
    now = datetime.datetime(2025, 1, 1)
    password_hash = accounts.hash_password("bench-password-123")

    # Schools: N/6 across the countries, names unique within a country.
    def make_schools():
        n_schools = max(1, teachers // 6)
        rows, seen = [], set()
        for i in range(n_schools):
            country = COUNTRY_CODES[i % len(COUNTRY_CODES)]
            while True:
                name = f"{rng.choice(SCHOOL_KINDS)} {rng.choice(SCHOOL_NAMES)}"
                if (country, name) in seen:
                    name = f"{name} {rng.randint(1, 999)}"
                if (country, name) not in seen:
                    break
            seen.add((country, name))
            rows.append((name, rng.choice(CITIES), country, now))
        _insert(db, School, [School.name, School.city, School.country, School.created_at],
                rows)
        return [(sid, c) for sid, c in School.select(School.id, School.country).tuples()]
    schools = _timed("schools", make_schools)
    by_country = {}
    for sid, country in schools:
        by_country.setdefault(country, []).append(sid)

    def make_teachers():
        rows = []
        public_all = json.dumps({"age_ranges": "public", "country": "public", "name": "public",
                                 "school": "public", "subjects": "public"}, sort_keys=True)
        public_some = json.dumps({"age_ranges": "public", "country": "public",
                                  "name": "public", "subjects": "public"}, sort_keys=True)
        for i in range(teachers):
            sid, country = schools[rng.randrange(len(schools))]
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            listed = rng.random() < 0.5
            visibility = (public_all if rng.random() < 0.5 else public_some) if listed else "{}"
            rows.append((Role.TEACHER, f"t{i}@bench.opentwin.eu", name, password_hash,
                         f"bench-{i}", country, sid, "en", now, Validation.VALIDATED, False,
                         now, visibility, listed))
        fields = [User.role, User.email, User.name, User.password_hash, User.session_token,
                  User.country, User.school, User.language, User.email_confirmed_at,
                  User.validation, User.disabled, User.created_at, User.profile_visibility,
                  User.listed_publicly]
        _insert(db, User, fields, rows)
        return [(uid, c) for uid, c in User.select(User.id, User.country)
                .where(User.role == Role.TEACHER).order_by(User.id).tuples()]
    users = _timed("teachers", make_teachers)

    def make_teacher_codes():
        s_rows, a_rows = [], []
        for uid, _ in users:
            for code in rng.sample(subjects, rng.randint(1, 3)):
                s_rows.append((uid, code))
            for code in rng.sample(ages, rng.randint(1, 2)):
                a_rows.append((uid, code))
        _insert(db, UserSubject, [UserSubject.user, UserSubject.code], s_rows)
        _insert(db, UserAgeRange, [UserAgeRange.user, UserAgeRange.code], a_rows)
    _timed("teacher subjects, age ranges", make_teacher_codes)

    def make_projects():
        n_projects = max(1, teachers // 4)
        rows, founders = [], []
        for i in range(n_projects):
            uid, _ = users[rng.randrange(len(users))]
            words = rng.sample(TITLE_WORDS, rng.randint(2, 4))
            title = " ".join(words)
            description = " ".join(rng.choices(DESCRIPTION_WORDS + TITLE_WORDS, k=20))
            label = now if rng.random() < 0.02 else None
            rows.append((title, description, uid, "active", rng.random() < 0.4, label, now))
            founders.append(uid)
        _insert(db, Project, [Project.title, Project.description, Project.founder,
                              Project.state, Project.is_public, Project.label_awarded_at,
                              Project.created_at], rows)
        ids = [pid for (pid,) in Project.select(Project.id).order_by(Project.id).tuples()]
        p_rows, s_rows, a_rows, l_rows = [], [], [], []
        for pid, founder in zip(ids, founders):
            p_rows.append((pid, founder, PartnerState.ACCEPTED, now))
            if rng.random() < 0.5:  # a partner from elsewhere
                partner, _ = users[rng.randrange(len(users))]
                if partner != founder:
                    p_rows.append((pid, partner, rng.choice([PartnerState.ACCEPTED,
                                                             PartnerState.INVITED]), now))
            s_rows += [(pid, c) for c in rng.sample(subjects, rng.randint(1, 3))]
            a_rows += [(pid, c) for c in rng.sample(ages, rng.randint(1, 2))]
            l_rows += [(pid, c) for c in rng.sample(CONTENT_LANGUAGES, rng.randint(1, 3))]
        _insert(db, ProjectPartner, [ProjectPartner.project, ProjectPartner.user,
                                     ProjectPartner.state, ProjectPartner.created_at], p_rows)
        _insert(db, ProjectSubject, [ProjectSubject.project, ProjectSubject.code], s_rows)
        _insert(db, ProjectAgeRange, [ProjectAgeRange.project, ProjectAgeRange.code], a_rows)
        _insert(db, ProjectLanguage, [ProjectLanguage.project, ProjectLanguage.code], l_rows)
        return len(ids)
    n_projects = _timed("projects (+partners, codes)", make_projects)
    return len(schools), len(users), n_projects


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=360000)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    url = args.database
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)

    import app as app_module
    import commands
    import models
    from services import search

    started = time.perf_counter()
    application = app_module.create_app({"DATABASE_URL": url, "SECRET_KEY": "bench",
                                         "RATELIMIT_ENABLED": False})
    with application.app_context():
        db = models.db
        db.connect(reuse_if_open=True)
        if not url.startswith("sqlite"):
            # A fresh PostgreSQL schema, like the SQLite file removed above.
            db.execute_sql("DROP SCHEMA public CASCADE")
            db.execute_sql("CREATE SCHEMA public")
        else:
            # Bulk loading only: the app itself always runs with synchronous=FULL.
            db.execute_sql("PRAGMA synchronous = OFF")
        _timed("migrate", commands.migrate, db.obj)
        rng = random.Random(args.seed)
        n_schools, n_teachers, n_projects = seed(db, args.teachers, rng)
        counts = _timed("search index (reindex_all)", search.reindex_all)
        if url.startswith("sqlite"):
            _timed("wal checkpoint", db.execute_sql, "PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            _timed("vacuum analyze", _vacuum, db)
        db.close()
    print(f"{n_teachers} teachers, {n_schools} schools, {n_projects} projects "
          f"(indexed: {counts}) in {time.perf_counter() - started:.0f} s")


def _vacuum(db):
    conn = db.connection()
    old = conn.autocommit
    conn.autocommit = True
    try:
        conn.cursor().execute("VACUUM ANALYZE")
    finally:
        conn.autocommit = old


if __name__ == "__main__":
    main()
