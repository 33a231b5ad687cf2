#include "intake/CsvReader.h"

#include <QFile>
#include <QHash>
#include <QLocale>
#include <QSet>

#include <algorithm>
#include <array>

using namespace Qt::StringLiterals;

namespace cdesk {

namespace {

constexpr std::array<char16_t, 4> kDelimiters = { u',', u';', u'\t', u'|' };
// How much of the text the delimiter is judged on.
constexpr int kSniffRecords = 50;
constexpr qsizetype kSniffChars = 256 * 1024;

bool isBlank(const QStringList &cells)
{
    return std::all_of(cells.cbegin(), cells.cend(),
                       [](const QString &cell) { return cell.trimmed().isEmpty(); });
}

// Cells per record of the first records, split by `delimiter` and aware of
// quotes; an unclosed quote just ends the count.
QList<int> cellCounts(QStringView text, QChar delimiter)
{
    QList<int> counts;
    bool quoted = false;
    int cells = 1;
    const qsizetype end = qMin(text.size(), kSniffChars);
    for (qsizetype i = 0; i < end && counts.size() < kSniffRecords; ++i) {
        const QChar c = text[i];
        if (c == u'"')
            quoted = !quoted;
        else if (quoted)
            continue;
        else if (c == delimiter)
            ++cells;
        else if (c == u'\n' || c == u'\r') {
            if (c == u'\r' && i + 1 < end && text[i + 1] == u'\n')
                ++i;
            counts.append(cells);
            cells = 1;
        }
    }
    if (cells > 1 || counts.isEmpty())
        counts.append(cells);
    return counts;
}

// The state of the one pass over the text.
class Parser
{
    Q_DECLARE_TR_FUNCTIONS(CsvReader)
public:
    Parser(QStringView text, QChar delimiter, int firstLine, const SheetLimits &limits)
        : m_text(text)
        , m_delimiter(delimiter)
        , m_line(firstLine)
        , m_limits(limits)
    { }

    bool run(SheetTable *table, SheetError *error);

private:
    enum class State { StartCell, Plain, Quoted, AfterQuote };

    bool fail(int line, int column, const QString &message)
    {
        m_error = { line, column, message };
        return false;
    }
    bool endCell();
    bool endRecord(SheetTable *table);
    int column(qsizetype i) const { return int(i - m_lineStart) + 1; }

    QStringView m_text;
    QChar m_delimiter;
    int m_line;
    const SheetLimits &m_limits;
    qsizetype m_lineStart = 0;
    int m_recordLine = 0;
    QStringList m_cells;
    QString m_cell;
    SheetError m_error;
    bool m_haveHeader = false;
    qint64 m_cellCount = 0;
};

bool Parser::endCell()
{
    // Checked here too: a cell can grow by a quote without passing the check in run().
    if (m_cell.size() > m_limits.maxCellChars)
        return fail(m_line, 0,
                    tr("A cell is longer than %L1 characters.").arg(m_limits.maxCellChars));
    if (++m_cellCount > m_limits.maxCells)
        return fail(m_recordLine, 0,
                    tr("The sheet has more than %L1 cells; split it into smaller files.")
                        .arg(m_limits.maxCells));
    if (m_cells.size() >= m_limits.maxColumns)
        return fail(m_recordLine, 0,
                    tr("This line has more than %L1 cells; is this file a sheet of candidates?")
                        .arg(m_limits.maxColumns));
    m_cells.append(m_cell);
    m_cell.clear();
    return true;
}

bool Parser::endRecord(SheetTable *table)
{
    if (!endCell())
        return false;
    if (!isBlank(m_cells)) {
        if (!m_haveHeader) {
            table->header = tidyHeader(m_cells);
            m_haveHeader = true;
        } else {
            if (table->rows.size() >= m_limits.maxRows)
                return fail(m_recordLine, 0,
                            tr("The sheet has more than %L1 rows; split it into smaller files.")
                                .arg(m_limits.maxRows));
            table->rows.append(m_cells);
            table->rowLines.append(m_recordLine);
        }
    }
    m_cells.clear();
    return true;
}

bool Parser::run(SheetTable *table, SheetError *error)
{
    State state = State::StartCell;
    int quoteLine = 0;
    int quoteColumn = 0;
    m_recordLine = m_line;
    const qsizetype size = m_text.size();
    for (qsizetype i = 0; i < size; ++i) {
        const QChar c = m_text[i];
        const bool lineBreak = c == u'\n' || c == u'\r';
        if (lineBreak && c == u'\r' && i + 1 < size && m_text[i + 1] == u'\n')
            ++i; // CRLF is one break
        // A delimiter or a line break ends the cell (and the record) unless
        // it is inside quotes.
        if (state != State::Quoted && (c == m_delimiter || lineBreak)) {
            if (!(lineBreak ? endRecord(table) : endCell()))
                break;
            state = State::StartCell;
        } else {
            switch (state) {
            case State::StartCell:
                if (c == u'"') {
                    state = State::Quoted;
                    quoteLine = m_line;
                    quoteColumn = column(i);
                    continue;
                }
                [[fallthrough]];
            case State::Plain:
                // A quote inside a plain cell is taken as written (5'10"), as
                // Excel and LibreOffice read it.
                m_cell.append(c);
                state = State::Plain;
                break;
            case State::Quoted:
                if (c == u'"') {
                    state = State::AfterQuote;
                    continue;
                }
                m_cell.append(lineBreak ? QChar(u'\n') : c);
                break;
            case State::AfterQuote:
                if (c == u'"') { // "" inside quotes is one quote
                    m_cell.append(c);
                    state = State::Quoted;
                    continue;
                }
                if (c == u' ' || c == u'\t')
                    continue; // spaces after the closing quote: harmless
                fail(m_line, column(i),
                     tr("Text follows the closing quote of the cell that starts at column %1. "
                        "A quote inside a quoted cell must be written twice (\"\").")
                         .arg(quoteColumn));
                break;
            }
        }
        if (!m_error.message.isEmpty())
            break;
        if (m_cell.size() > m_limits.maxCellChars) {
            fail(m_line, column(i),
                 tr("A cell is longer than %L1 characters.").arg(m_limits.maxCellChars));
            break;
        }
        if (lineBreak) {
            ++m_line;
            m_lineStart = i + 1;
            if (state == State::StartCell && m_cells.isEmpty())
                m_recordLine = m_line;
        }
    }
    if (m_error.message.isEmpty()) {
        if (state == State::Quoted)
            fail(quoteLine, quoteColumn,
                 tr("The quoted cell that starts here is never closed: a quote (\") is "
                    "missing, and the rest of the file would be read as one cell."));
        else if (state != State::StartCell || !m_cells.isEmpty())
            endRecord(table);
    }
    if (!m_error.message.isEmpty()) {
        if (error)
            *error = m_error;
        return false;
    }
    return true;
}

} // namespace

QString SheetError::text() const
{
    if (line <= 0)
        return message;
    if (column <= 0)
        return CsvReader::tr("Line %L1: %2").arg(line).arg(message);
    return CsvReader::tr("Line %L1, column %L2: %3").arg(line).arg(column).arg(message);
}

QStringList tidyHeader(const QStringList &cells)
{
    QStringList header;
    header.reserve(cells.size());
    QSet<QString> taken; // case-folded
    QHash<QString, int> nextNumber; // per repeated name: the number to try next
    for (qsizetype i = 0; i < cells.size(); ++i) {
        QString name = cells[i].simplified();
        if (name.isEmpty())
            name = CsvReader::tr("Column %1").arg(i + 1);
        const QString base = name;
        int &n = nextNumber[base.toCaseFolded()];
        n = qMax(n, 2);
        while (taken.contains(name.toCaseFolded()))
            name = u"%1 (%2)"_s.arg(base).arg(n++);
        taken.insert(name.toCaseFolded());
        header.append(name);
    }
    return header;
}

QChar CsvReader::detectDelimiter(QStringView text)
{
    QChar best = u',';
    int bestScore = 0;
    int bestCells = 1;
    for (const char16_t candidate : kDelimiters) {
        const QList<int> counts = cellCounts(text, QChar(candidate));
        const int cells = counts.value(0, 1);
        if (cells < 2)
            continue;
        // Records that split like the header; a sheet's last record is often cut.
        const auto score = int(std::count(counts.cbegin(), counts.cend(), cells));
        if (score > bestScore || (score == bestScore && cells > bestCells)) {
            best = QChar(candidate);
            bestScore = score;
            bestCells = cells;
        }
    }
    return best;
}

QString CsvReader::delimiterName(QChar delimiter)
{
    switch (delimiter.unicode()) {
    case u';':
        return tr("semicolon");
    case u'\t':
        return tr("tab");
    case u'|':
        return tr("bar");
    default:
        return tr("comma");
    }
}

std::optional<SheetTable> CsvReader::parse(QByteArrayView bytes, SheetError *error,
                                           const SheetLimits &limits)
{
    auto refuse = [error](const QString &message) -> std::optional<SheetTable> {
        if (error)
            *error = { 0, 0, message };
        return std::nullopt;
    };
    if (bytes.size() > limits.maxBytes)
        return refuse(tr("The file is %1; a sheet may be at most %2.")
                          .arg(QLocale().formattedDataSize(bytes.size()),
                               QLocale().formattedDataSize(limits.maxBytes)));
    if (bytes.startsWith("PK\x03\x04"))
        return refuse(tr("This is a workbook (.xlsx or .ods), not CSV text. Save the sheet as "
                         "CSV UTF-8 and import that file."));
    TextDecoding::Encoding encoding;
    const QString text = TextDecoding::decodeText(bytes, false, &encoding);
    if (text.contains(QChar(u'\0')))
        return refuse(tr("This file is not text: it holds binary data. Save the sheet as CSV "
                         "and import that file."));

    // Excel's hint on the first line: "sep=;".
    QStringView body(text);
    int firstLine = 1;
    QChar delimiter;
    if (body.startsWith(u"sep=", Qt::CaseInsensitive) && body.size() >= 5) {
        // The hint ends at the line's break: CRLF, LF, or a lone CR (Excel for Mac).
        qsizetype end = 0;
        while (end < body.size() && body[end] != u'\n' && body[end] != u'\r')
            ++end;
        const QStringView hint = body.first(end);
        if (hint.size() == 5) {
            delimiter = hint[4];
            if (end < body.size() && body[end] == u'\r' && end + 1 < body.size()
                && body[end + 1] == u'\n')
                ++end;
            body = end < body.size() ? body.sliced(end + 1) : QStringView();
            firstLine = 2;
        }
    }
    if (delimiter.isNull())
        delimiter = detectDelimiter(body);

    SheetTable table;
    Parser parser(body, delimiter, firstLine, limits);
    if (!parser.run(&table, error))
        return std::nullopt;
    if (table.header.isEmpty())
        return refuse(tr("The file is empty: there is no header and no row."));
    table.format
        = tr("CSV, %1, %2").arg(TextDecoding::encodingName(encoding), delimiterName(delimiter));
    return table;
}

std::optional<SheetTable> CsvReader::readFile(const QString &path, SheetError *error,
                                              const SheetLimits &limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = { 0, 0, tr("Cannot open %1: %2").arg(path, file.errorString()) };
        return std::nullopt;
    }
    // One byte over the bound tells a file that is too large without reading it all.
    const QByteArray bytes = file.read(limits.maxBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        if (error)
            *error = { 0, 0, tr("Cannot read %1: %2").arg(path, file.errorString()) };
        return std::nullopt;
    }
    if (bytes.size() > limits.maxBytes) {
        if (error)
            *error = { 0, 0,
                       tr("The file is larger than %1, the most a sheet may be; split it "
                          "into smaller files.")
                           .arg(QLocale().formattedDataSize(limits.maxBytes)) };
        return std::nullopt;
    }
    return parse(bytes, error, limits);
}

} // namespace cdesk
