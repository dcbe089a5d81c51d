// SPDX-License-Identifier: Apache-2.0
// The Atom document of a feed (RFC 4287), read back with an XML parser: the feed's own
// elements, each entry's, text escaped, characters XML cannot hold replaced.
#include "api/atomwriter.h"

#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;
using namespace herald::syncd;

namespace {

const QString Atom = u"http://www.w3.org/2005/Atom"_s;

// One element as read: its path from the root ("feed/entry/title"), attributes and text.
struct Element
{
    QString path;
    QXmlStreamAttributes attributes;
    QString text;
};

QList<Element> parse(const QByteArray &document, QString *error)
{
    QList<Element> elements;
    QStringList path;
    QList<qsizetype> open;
    QXmlStreamReader xml(document);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            if (xml.namespaceUri() != Atom)
                *error = u"element %1 outside the Atom namespace"_s.arg(xml.name());
            path.append(xml.name().toString());
            open.append(elements.size());
            elements.append({path.join(u'/'), xml.attributes(), {}});
        } else if (xml.isCharacters() && !open.isEmpty()) {
            elements[open.last()].text += xml.text();
        } else if (xml.isEndElement()) {
            path.removeLast();
            open.removeLast();
        }
    }
    if (xml.hasError())
        *error = xml.errorString();
    return elements;
}

QStringList textsAt(const QList<Element> &elements, const QString &path)
{
    QStringList texts;
    for (const Element &e : elements) {
        if (e.path == path)
            texts.append(e.text.trimmed());
    }
    return texts;
}

QList<Element> at(const QList<Element> &elements, const QString &path)
{
    QList<Element> found;
    for (const Element &e : elements) {
        if (e.path == path)
            found.append(e);
    }
    return found;
}

Feed sample()
{
    Feed feed;
    feed.id = u"urn:herald:east:feed:alice"_s;
    feed.title = u"Herald: alice"_s;
    feed.user = u"alice"_s;
    feed.updated = QDateTime(QDate(2026, 3, 1), QTime(12, 0, 2, 345), Qt::UTC);
    FeedEntry newer;
    newer.id = u"urn:herald:east:notification:2"_s;
    newer.title = u"Deploy <prod> & \"friends\""_s;
    newer.content = u"line 1\nline 2 \u0001 \U0001F680"_s;
    newer.link = u"https://ci.example.org/b?x=1&y=2"_s;
    newer.published = feed.updated;
    newer.updated = feed.updated;
    newer.categories = {{u"urn:herald:application"_s, u"ci"_s},
                        {u"urn:herald:channel"_s, u"ci/prod"_s}};
    FeedEntry older;
    older.id = u"urn:herald:east:notification:1"_s;
    older.title = u"Backup"_s;
    older.content = u"done"_s;
    older.published = feed.updated.addSecs(-60);
    older.updated = older.published;
    feed.entries = {newer, older};
    return feed;
}

} // namespace

class TestAtomWriter : public QObject
{
    Q_OBJECT

private slots:
    void writesTheFeedsOwnElements()
    {
        QString error;
        const QList<Element> xml = parse(
            AtomWriter::write(sample(), u"https://h.example.org/api/v1/users/alice/feed.atom"_s),
            &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(xml.first().path, u"feed"_s);
        QCOMPARE(textsAt(xml, u"feed/id"_s), QStringList{u"urn:herald:east:feed:alice"_s});
        QCOMPARE(textsAt(xml, u"feed/title"_s), QStringList{u"Herald: alice"_s});
        QCOMPARE(textsAt(xml, u"feed/updated"_s), QStringList{u"2026-03-01T12:00:02.345Z"_s});
        QCOMPARE(textsAt(xml, u"feed/author/name"_s), QStringList{u"Herald"_s});
        const QList<Element> links = at(xml, u"feed/link"_s);
        QCOMPARE(links.size(), 1);
        QCOMPARE(links.first().attributes.value(u"rel"_s), u"self"_s);
        QCOMPARE(links.first().attributes.value(u"type"_s), u"application/atom+xml"_s);
        QCOMPARE(links.first().attributes.value(u"href"_s),
                 u"https://h.example.org/api/v1/users/alice/feed.atom"_s);
    }

    void writesEachEntryInOrder()
    {
        QString error;
        const QList<Element> xml = parse(AtomWriter::write(sample(), u"/f"_s), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(at(xml, u"feed/entry"_s).size(), 2);
        QCOMPARE(textsAt(xml, u"feed/entry/id"_s),
                 (QStringList{u"urn:herald:east:notification:2"_s,
                              u"urn:herald:east:notification:1"_s}));
        QCOMPARE(textsAt(xml, u"feed/entry/title"_s),
                 (QStringList{u"Deploy <prod> & \"friends\""_s, u"Backup"_s}));
        QCOMPARE(textsAt(xml, u"feed/entry/published"_s),
                 (QStringList{u"2026-03-01T12:00:02.345Z"_s, u"2026-03-01T11:59:02.345Z"_s}));
        QCOMPARE(textsAt(xml, u"feed/entry/updated"_s), textsAt(xml, u"feed/entry/published"_s));
        for (const Element &e : at(xml, u"feed/entry/content"_s))
            QCOMPARE(e.attributes.value(u"type"_s), u"text"_s);
        // Only the entry with a url links anywhere.
        const QList<Element> links = at(xml, u"feed/entry/link"_s);
        QCOMPARE(links.size(), 1);
        QCOMPARE(links.first().attributes.value(u"rel"_s), u"alternate"_s);
        QCOMPARE(links.first().attributes.value(u"href"_s), u"https://ci.example.org/b?x=1&y=2"_s);
        const QList<Element> categories = at(xml, u"feed/entry/category"_s);
        QCOMPARE(categories.size(), 2);
        QCOMPARE(categories.at(0).attributes.value(u"term"_s), u"ci"_s);
        QCOMPARE(categories.at(0).attributes.value(u"scheme"_s), u"urn:herald:application"_s);
        QCOMPARE(categories.at(1).attributes.value(u"term"_s), u"ci/prod"_s);
    }

    void replacesWhatXmlCannotHold()
    {
        QString error;
        const QList<Element> xml = parse(AtomWriter::write(sample(), u"/f"_s), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(at(xml, u"feed/entry/content"_s).first().text,
                 u"line 1\nline 2 \uFFFD \U0001F680"_s);
        QCOMPARE(AtomWriter::xmlSafe(u"a\tb\r\n"_s), u"a\tb\r\n"_s);
        QCOMPARE(AtomWriter::xmlSafe(QString(QChar(0xD800)) + u"x"_s), u"\uFFFDx"_s);
        QCOMPARE(AtomWriter::xmlSafe(QString(QChar(0xFFFE))), u"\uFFFD"_s);
    }

    void anEmptyFeedIsStillAFeed()
    {
        Feed feed = sample();
        feed.entries.clear();
        QString error;
        const QList<Element> xml = parse(AtomWriter::write(feed, u"/f"_s), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY(at(xml, u"feed/entry"_s).isEmpty());
        QCOMPARE(textsAt(xml, u"feed/updated"_s).size(), 1);
    }

    void theSameFeedWritesTheSameBytes()
    {
        QCOMPARE(AtomWriter::write(sample(), u"/f"_s), AtomWriter::write(sample(), u"/f"_s));
        const QByteArray document = AtomWriter::write(sample(), u"/f"_s);
        QVERIFY(document.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    }
};

QTEST_GUILESS_MAIN(TestAtomWriter)
#include "tst_atomwriter.moc"
