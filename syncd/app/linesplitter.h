// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <deque>

namespace herald::syncd {

// Cuts a byte stream (standard input of `publish --stdin`), appended chunk by chunk, into
// numbered lines. A line longer than maxLineBytes is handed out as tooLong, its bytes dropped
// as they come: so memory holds at most one line and the lines not taken yet, whatever the
// input.
//
// A plain value type, not thread-safe.
class LineSplitter
{
public:
    struct Line
    {
        qint64 number = 0; // from 1
        QByteArray text;   // without its '\n'
        bool tooLong = false;
    };

    explicit LineSplitter(qsizetype maxLineBytes) : m_maxLineBytes(maxLineBytes) {}

    void append(QByteArrayView chunk);
    // The end of the input: a last line without '\n' becomes a line too.
    void finish();

    bool hasLine() const { return !m_lines.empty(); }
    // The oldest line not taken yet; only while hasLine().
    Line takeLine();

private:
    void endLine();

    qsizetype m_maxLineBytes;
    qint64 m_lineCount = 0;
    QByteArray m_partial;     // the line being read
    bool m_overlong = false;  // the line being read passed the limit: its bytes are dropped
    std::deque<Line> m_lines; // complete, not taken yet
};

} // namespace herald::syncd
