// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QStringView>

#include <cstddef>
#include <cstring>

// JSON text written in two passes over the same calls: a SizeCounter adds up what the text
// takes, then a TextWriter writes it into room made once (appendSized). QByteArray's appends
// check capacity and may grow on every call; a notification frame made that way cost twice as
// much (docs/PERFORMANCE.md, the codec benchmark).
namespace herald::json {

// `number` in decimal, formatted once into a buffer of its own.
struct Decimal
{
    explicit Decimal(qint64 number);
    QByteArrayView view() const { return {text, size}; }

    char text[20]; // "-9223372036854775808"
    qsizetype size;
};

// Bytes `text` takes as a JSON string literal, quotes included, in UTF-8.
qsizetype quotedSize(QStringView text);
// Writes that literal at `to`; returns the end of what it wrote (quotedSize(text) bytes on).
char *writeQuoted(char *to, QStringView text);

class SizeCounter
{
public:
    template <std::size_t N> SizeCounter &raw(const char (&)[N])
    {
        m_size += qsizetype(N - 1);
        return *this;
    }
    SizeCounter &raw(QByteArrayView bytes)
    {
        m_size += bytes.size();
        return *this;
    }
    SizeCounter &quoted(QStringView text)
    {
        m_size += quotedSize(text);
        return *this;
    }
    SizeCounter &integer(qint64 number) { return raw(Decimal(number).view()); }
    // A time as its quoted RFC 3339 text (toRfc3339).
    SizeCounter &time(const QDateTime &time);

    qsizetype size() const { return m_size; }

private:
    qsizetype m_size = 0;
};

class TextWriter
{
public:
    explicit TextWriter(char *to) : m_to(to) {}

    template <std::size_t N> TextWriter &raw(const char (&text)[N])
    {
        std::memcpy(m_to, text, N - 1);
        m_to += N - 1;
        return *this;
    }
    TextWriter &raw(QByteArrayView bytes)
    {
        if (!bytes.isEmpty()) // an empty view may have no data at all
            std::memcpy(m_to, bytes.data(), std::size_t(bytes.size()));
        m_to += bytes.size();
        return *this;
    }
    TextWriter &quoted(QStringView text)
    {
        m_to = writeQuoted(m_to, text);
        return *this;
    }
    TextWriter &integer(qint64 number) { return raw(Decimal(number).view()); }
    TextWriter &time(const QDateTime &time);

    const char *end() const { return m_to; }

private:
    char *m_to;
};

// Appends to `out` what `write(text)` writes; `write` is called twice, with a SizeCounter and
// then with a TextWriter, and must make the same calls both times.
template <typename Write> void appendSized(QByteArray &out, Write &&write)
{
    SizeCounter counter;
    write(counter);
    const qsizetype at = out.size();
    out.resize(at + counter.size());
    TextWriter writer(out.data() + at);
    write(writer);
    Q_ASSERT(writer.end() == out.constData() + out.size());
}

} // namespace herald::json
