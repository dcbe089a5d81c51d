// SPDX-License-Identifier: Apache-2.0
#include "api/atomwriter.h"

#include "model/timestamps.h"

#include <QXmlStreamWriter>

using namespace Qt::StringLiterals;

namespace herald::syncd {

namespace {

const QString AtomNamespace = u"http://www.w3.org/2005/Atom"_s;

bool allowedInXml(char32_t c)
{
    return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
           (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

void writeText(QXmlStreamWriter &xml, const QString &name, const QString &text)
{
    xml.writeTextElement(name, AtomWriter::xmlSafe(text));
}

void writeEntry(QXmlStreamWriter &xml, const FeedEntry &entry)
{
    xml.writeStartElement(u"entry"_s);
    writeText(xml, u"id"_s, entry.id);
    xml.writeStartElement(u"title"_s);
    xml.writeAttribute(u"type"_s, u"text"_s);
    xml.writeCharacters(AtomWriter::xmlSafe(entry.title));
    xml.writeEndElement();
    writeText(xml, u"published"_s, toRfc3339(entry.published));
    writeText(xml, u"updated"_s, toRfc3339(entry.updated));
    if (!entry.link.isEmpty()) {
        xml.writeEmptyElement(u"link"_s);
        xml.writeAttribute(u"rel"_s, u"alternate"_s);
        xml.writeAttribute(u"href"_s, AtomWriter::xmlSafe(entry.link));
    }
    for (const FeedCategory &category : entry.categories) {
        xml.writeEmptyElement(u"category"_s);
        xml.writeAttribute(u"scheme"_s, AtomWriter::xmlSafe(category.scheme));
        xml.writeAttribute(u"term"_s, AtomWriter::xmlSafe(category.term));
    }
    xml.writeStartElement(u"content"_s);
    xml.writeAttribute(u"type"_s, u"text"_s);
    xml.writeCharacters(AtomWriter::xmlSafe(entry.content));
    xml.writeEndElement();
    xml.writeEndElement();
}

} // namespace

QString AtomWriter::xmlSafe(const QString &text)
{
    QString safe;
    safe.reserve(text.size());
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c.isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            safe.append(c);
            safe.append(text.at(++i));
        } else if (!c.isSurrogate() && allowedInXml(c.unicode())) {
            safe.append(c);
        } else {
            safe.append(QChar::ReplacementCharacter);
        }
    }
    return safe;
}

QByteArray AtomWriter::write(const Feed &feed, const QString &selfUrl)
{
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.setAutoFormattingIndent(1);
    xml.writeStartDocument();
    xml.writeDefaultNamespace(AtomNamespace);
    xml.writeStartElement(AtomNamespace, u"feed"_s);
    writeText(xml, u"id"_s, feed.id);
    writeText(xml, u"title"_s, feed.title);
    writeText(xml, u"updated"_s, toRfc3339(feed.updated));
    xml.writeStartElement(u"author"_s);
    writeText(xml, u"name"_s, u"Herald"_s);
    xml.writeEndElement();
    writeText(xml, u"generator"_s, u"herald-syncd"_s);
    xml.writeEmptyElement(u"link"_s);
    xml.writeAttribute(u"rel"_s, u"self"_s);
    xml.writeAttribute(u"type"_s, u"application/atom+xml"_s);
    xml.writeAttribute(u"href"_s, xmlSafe(selfUrl));
    for (const FeedEntry &entry : feed.entries)
        writeEntry(xml, entry);
    xml.writeEndElement();
    xml.writeEndDocument();
    return out;
}

} // namespace herald::syncd
