"""Scale data: N teachers (default 360,000, the platform's real size), N/6 schools across the
43 countries, N/4 projects each with its TwinSpace, groups, mail and notifications
(bench/seed_spaces.py), then the search index. Bulk inserts in big transactions, one shared
password hash; finishes in minutes.

Run: `python -m bench.seed [--teachers 360000] [--database URL] [--if-changed]`
(default database: a fresh SQLite file instance/bench.db). With --if-changed the database is
kept when it was seeded from the same inputs (INPUTS, the teachers and the random seed): the
stamp is instance/bench.db.seeded.json beside SQLite, the table bench_seed_stamp in
PostgreSQL, written only once the seed has finished.
"""
import argparse
import datetime
import hashlib
import json
import os
import random
import time

from bench.seed_spaces import TEACHER, seed_world  # noqa: F401 - bench.full names him
from bench.seedkit import _insert, _timed

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
    seed_world(db, rng, users, now, password_hash)
    return len(schools), len(users), n_projects


# What the data depends on: a change to any of these makes `ensure` seed again.
INPUTS = ["bench/seed.py", "bench/seed_spaces.py", "bench/seedkit.py", "models.py",
          "services/search.py", "services/search_index.py", "services/search_text.py",
          "services/group_search.py", "services/reference.py", "services/accounts.py",
          "migrations"]


def inputs_key(teachers, seed_number):
    digest = hashlib.sha256(f"{teachers}:{seed_number}".encode())
    for name in INPUTS:
        path = os.path.join(HERE, name)
        files = ([os.path.join(path, f) for f in sorted(os.listdir(path)) if f.endswith(".py")]
                 if os.path.isdir(path) else [path])
        for file in files:
            with open(file, "rb") as handle:
                digest.update(handle.read())
    return digest.hexdigest()


def _stamp_path(url):
    return url[len("sqlite:///"):] + ".seeded.json" if url.startswith("sqlite") else None


def read_stamp(url):
    """What the last finished seed of this database recorded (key, seconds, date), or None."""
    path = _stamp_path(url)
    if path:
        if not os.path.exists(path) or not os.path.exists(path[:-len(".seeded.json")]):
            return None
        with open(path) as handle:
            return json.load(handle)
    import peewee
    from playhouse.db_url import connect
    database = connect(url)
    try:
        row = database.execute_sql("SELECT stamp FROM bench_seed_stamp").fetchone()
    except peewee.DatabaseError:
        return None
    finally:
        database.close()
    return json.loads(row[0]) if row else None


def _write_stamp(db, url, stamp):
    path = _stamp_path(url)
    if path:
        with open(path, "w") as handle:
            json.dump(stamp, handle)
        return
    db.execute_sql("CREATE TABLE bench_seed_stamp (stamp TEXT)")
    db.execute_sql("INSERT INTO bench_seed_stamp VALUES (%s)", (json.dumps(stamp),))


def database_size(url):
    """Bytes on disk: the SQLite file (with its WAL), or PostgreSQL's pg_database_size."""
    if url.startswith("sqlite"):
        path = url[len("sqlite:///"):]
        return sum(os.path.getsize(path + s) for s in ("", "-wal") if os.path.exists(path + s))
    from playhouse.db_url import connect
    database = connect(url)
    try:
        return database.execute_sql("SELECT pg_database_size(current_database())").fetchone()[0]
    finally:
        database.close()


def ensure(url, teachers=360000, seed_number=1):
    """Seed `url` unless it already holds the data of these very inputs; returns the stamp
    (key, seconds the seed took, when) and whether it was reused."""
    key = inputs_key(teachers, seed_number)
    stamp = read_stamp(url)
    if stamp and stamp.get("key") == key:
        return stamp, True
    return build(url, teachers, seed_number, key), False


def build(url, teachers, seed_number, key):
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        for suffix in ("", "-wal", "-shm", ".seeded.json"):
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
        rng = random.Random(seed_number)
        n_schools, n_teachers, n_projects = seed(db, teachers, rng)
        counts = _timed("search index (reindex_all)", search.reindex_all)
        if url.startswith("sqlite"):
            _timed("wal checkpoint", db.execute_sql, "PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            _timed("vacuum analyze", _vacuum, db)
        seconds = round(time.perf_counter() - started)
        stamp = {"key": key, "seconds": seconds, "teachers": n_teachers,
                 "when": datetime.datetime.now().isoformat(timespec="minutes")}
        _write_stamp(db, url, stamp)
        db.close()
    print(f"{n_teachers} teachers, {n_schools} schools, {n_projects} projects "
          f"(indexed: {counts}) in {seconds} s")
    return stamp


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teachers", type=int, default=360000)
    parser.add_argument("--database", default=DEFAULT_DATABASE)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--if-changed", action="store_true",
                        help="keep the database if it was seeded from these very inputs")
    args = parser.parse_args(argv)
    if args.if_changed:
        stamp, reused = ensure(args.database, args.teachers, args.seed)
        if reused:
            print(f"scale data unchanged since {stamp['when']}: kept")
    else:
        build(args.database, args.teachers, args.seed, inputs_key(args.teachers, args.seed))


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
