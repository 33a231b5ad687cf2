#include "CsvReader.h"
#include "Dialogs.h"
#include "HistoryPane.h"

#include "core/Clock.h"
#include "store/Database.h"
#include "store/HistoryModel.h"
#include "store/HistoryStore.h"
#include "store/Outbox.h"

#include <QCalendarWidget>
#include <QComboBox>
#include <QDateEdit>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QLoggingCategory>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>
#include <QToolButton>

#include <functional>

#include <algorithm>
#include <memory>

using namespace Qt::StringLiterals;
using namespace cdesk;
using cdesk::test::parseCsv;

namespace {

// What the test made: the oracle the pane is checked against.
struct Row
{
    qint64 id = 0;
    QString name;
    QString email;
    std::optional<qint64> jobId;
    SubmissionState state = SubmissionState::Pending;
    QDateTime createdAt;
};

// Counts the pages the model reads: it says so on its debug category.
QList<int> g_pageReads;
QtMessageHandler g_previousHandler = nullptr;

void recordPageReads(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtDebugMsg && context.category
        && qstrcmp(context.category, "cdesk.history.model") == 0) {
        static const QRegularExpression page(u"^reading page (\\d+) "_s);
        if (const auto match = page.match(message); match.hasMatch())
            g_pageReads << match.captured(1).toInt();
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// Calls `action` once, when an event of `type` reaches `watched` and `when`
// holds, before the event is handled.
class EventHook : public QObject
{
public:
    EventHook(QObject *watched, QEvent::Type type, std::function<bool()> when,
              std::function<void()> action)
        : m_type(type)
        , m_when(std::move(when))
        , m_action(std::move(action))
    {
        watched->installEventFilter(this);
    }
    bool fired = false;

protected:
    bool eventFilter(QObject *, QEvent *event) override
    {
        if (!fired && event->type() == m_type && m_when()) {
            fired = true;
            m_action();
        }
        return false;
    }

private:
    QEvent::Type m_type;
    std::function<bool()> m_when;
    std::function<void()> m_action;
};

} // namespace

class TestHistoryPane : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    FakeClock m_clock { QDateTime(QDate(2026, 9, 1), QTime(8, 0), QTimeZone::utc()) };
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<HistoryStore> m_history;
    QList<Row> m_rows;
    // The rows each test picks by name: made through the real Outbox, with their attempts.
    qint64 m_failedId = 0;
    qint64 m_sentId = 0;
    qint64 m_duplicateId = 0;
    qint64 m_cancelledId = 0;
    qint64 m_waitingId = 0;
    QString m_failedKey;
    const QHash<qint64, QString> m_titles { { 10, u"Backend Engineer"_s },
                                            { 11, u"Data Analyst"_s } };

    std::optional<Submission> enqueue(const QString &name, const QString &email,
                                      std::optional<qint64> jobId = std::nullopt,
                                      const QString &resume = {})
    {
        Submission s;
        s.candidate.name = name;
        s.candidate.email = email;
        s.candidate.phone = u"+91 98450 12345"_s;
        s.candidate.jobId = jobId;
        s.candidate.source = u"Referral"_s;
        s.candidate.industry = u"Software"_s;
        s.candidate.customFields.insert(u"linkedin_url"_s, u"https://linkedin.example/x"_s);
        s.candidate.resumeFile = resume;
        s.source = u"form"_s;
        QString error;
        auto stored = m_outbox->enqueue(s, &error);
        if (!stored) {
            qWarning() << error;
            return std::nullopt;
        }
        m_rows << Row {
            stored->id, name, email, jobId, SubmissionState::Pending, stored->createdAt
        };
        m_clock.advance(60 * 1000);
        return stored;
    }

    // Claims exactly the row given (the oldest due): the special rows are made first.
    bool claim(qint64 id)
    {
        const auto claimed = m_outbox->claimDue(1);
        return claimed.size() == 1 && claimed.first().id == id;
    }

    void setState(qint64 id, SubmissionState state)
    {
        for (Row &row : m_rows) {
            if (row.id == id)
                row.state = state;
        }
    }

    int expectedCount(const std::function<bool(const Row &)> &keep) const
    {
        return int(std::count_if(m_rows.cbegin(), m_rows.cend(), keep));
    }

    // A pane as the window makes it, and its widgets by object name.
    struct Pane
    {
        std::unique_ptr<HistoryPane> pane;
        QTableView *table = nullptr;
        QLineEdit *search = nullptr;
        QComboBox *status = nullptr;
        QComboBox *job = nullptr;
        QDateEdit *from = nullptr;
        QDateEdit *to = nullptr;
        QTextBrowser *details = nullptr;
        QPushButton *retry = nullptr;
        QPushButton *update = nullptr;
        QPushButton *exportButton = nullptr;
        QLabel *count = nullptr;

        int rows() const { return table->model()->rowCount(); }
    };

    Pane makePane()
    {
        Pane p;
        p.pane = std::make_unique<HistoryPane>(m_history.get());
        p.pane->setJobTitles(m_titles);
        p.pane->resize(1000, 700);
        HistoryPane *w = p.pane.get();
        p.table = w->findChild<QTableView *>(u"historyTable"_s);
        p.search = w->findChild<QLineEdit *>(u"historySearch"_s);
        p.status = w->findChild<QComboBox *>(u"historyStatus"_s);
        p.job = w->findChild<QComboBox *>(u"historyJob"_s);
        p.from = w->findChild<QDateEdit *>(u"historyFrom"_s);
        p.to = w->findChild<QDateEdit *>(u"historyTo"_s);
        p.details = w->findChild<QTextBrowser *>(u"historyDetails"_s);
        p.retry = w->findChild<QPushButton *>(u"historyRetry"_s);
        p.update = w->findChild<QPushButton *>(u"historyUpdate"_s);
        p.exportButton = w->findChild<QPushButton *>(u"historyExport"_s);
        p.count = w->findChild<QLabel *>(u"historyCount"_s);
        return p;
    }

    // Searches for one row by a text only it has, and makes it the current row.
    static bool selectOnly(Pane &p, const QString &text)
    {
        p.search->setText(text);
        if (!QTest::qWaitFor([&] { return p.pane->model()->filter().text == text; }))
            return false;
        if (p.rows() != 1)
            return false;
        p.table->selectRow(0);
        return p.table->currentIndex().row() == 0;
    }

    static QString countText(int n) { return u"%1 submission(s)"_s.arg(QLocale().toString(n)); }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QLoggingCategory::setFilterRules(u"cdesk.store.info=false"_s);
        m_db = std::make_unique<Database>(m_dir.filePath(u"cdesk.sqlite"_s), &m_clock);
        QString error;
        QVERIFY2(m_db->open(&error), qPrintable(error));
        m_outbox = std::make_unique<Outbox>(m_db.get(), m_dir.filePath(u"data"_s), &m_clock);
        m_history = std::make_unique<HistoryStore>(m_db.get());
        m_history->setTimeZone(QTimeZone::utc());

        // The rows the tests pick, each through the real Outbox, oldest first.
        const QString cv = m_dir.filePath(u"Zoë CV.pdf"_s);
        {
            QFile file(cv);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("%PDF-1.4\n%%EOF\n");
        }
        auto failed = enqueue(u"Zoë Quintero"_s, u"zoe.quintero@example"_s, 10, cv);
        auto sent = enqueue(u"Samuel Sentwell"_s, u"samuel@example.com"_s, 11);
        auto duplicate = enqueue(u"Dana Duplicate"_s, u"dana@example.com"_s);
        auto cancelled = enqueue(u"Carl Cancelled"_s, u"carl@example.com"_s, 10);
        QVERIFY(failed && sent && duplicate && cancelled);
        m_failedId = failed->id;
        m_failedKey = failed->idempotencyKey;
        m_sentId = sent->id;
        m_duplicateId = duplicate->id;
        m_cancelledId = cancelled->id;

        QVERIFY(claim(m_failedId));
        QVERIFY(m_outbox->markRetry(m_failedId, m_clock.now(), u"The server is busy."_s,
                                    ApiError::ServerError, 503, &error));
        QVERIFY(claim(m_failedId));
        FieldErrors errors;
        errors.add(u"email"_s, u"Enter a valid email address."_s);
        QVERIFY(m_outbox->markFailed(m_failedId, u"The server refused the candidate."_s,
                                     ApiError::FieldErrors, errors, 400, &error));
        setState(m_failedId, SubmissionState::Failed);
        QVERIFY(claim(m_sentId));
        QVERIFY(m_outbox->markSent(m_sentId, 4242, 201, &error));
        setState(m_sentId, SubmissionState::Sent);
        QVERIFY(claim(m_duplicateId));
        QVERIFY(m_outbox->markNeedsDecision(m_duplicateId, 777, u"This email already exists."_s,
                                            409, &error));
        setState(m_duplicateId, SubmissionState::NeedsDecision);
        QVERIFY(m_outbox->cancel(m_cancelledId, &error));
        setState(m_cancelledId, SubmissionState::Cancelled);

        // Names a CSV must quote, and one a spreadsheet would run.
        auto waiting = enqueue(u"Smith, \"Jo\""_s, u"jo.smith@example.com"_s, 11);
        QVERIFY(waiting);
        m_waitingId = waiting->id;
        QVERIFY(enqueue(u"Line\nBreak"_s, u"line.break@example.com"_s));
        QVERIFY(enqueue(u"=HYPERLINK(\"http://x\")"_s, u"formula@example.com"_s));
        QVERIFY(enqueue(u"Ærøskøbing Ünïcödé"_s, u"aero@example.com"_s));

        // 1,200 more over 12 days, each day one transaction, so the export spans pages.
        const QStringList first { u"Asha"_s, u"Bram"_s, u"Chen"_s, u"Élodie"_s, u"Ines"_s };
        for (int day = 0; day < 12; ++day) {
            m_clock.set(QDateTime(QDate(2026, 9, 2).addDays(day), QTime(10, 0), QTimeZone::utc()));
            QList<Submission> batch;
            for (int i = 0; i < 100; ++i) {
                const int n = day * 100 + i;
                Submission s;
                s.candidate.name = first.at(n % first.size()) + u" Number %1"_s.arg(n);
                s.candidate.email = u"person.%1@example.com"_s.arg(n);
                s.candidate.jobId = n % 3 == 0 ? std::nullopt : std::optional<qint64>(10 + n % 2);
                s.candidate.source = u"LinkedIn"_s;
                batch << s;
            }
            const auto stored = m_outbox->enqueueAll(batch, &error);
            QVERIFY2(stored, qPrintable(error));
            for (const Submission &s : *stored) {
                m_rows << Row { s.id,
                                s.candidate.name,
                                s.candidate.email,
                                s.candidate.jobId,
                                SubmissionState::Pending,
                                s.createdAt };
            }
        }
        m_clock.set(QDateTime(QDate(2026, 9, 20), QTime(9, 0), QTimeZone::utc()));
    }

    void init() { Dialogs::reset(); }

    void showing_readsOnlyTheFirstPage_andCounts()
    {
        g_pageReads.clear();
        g_previousHandler = qInstallMessageHandler(recordPageReads);
        QLoggingCategory::setFilterRules(
            u"cdesk.history.model.debug=true\ncdesk.store.info=false"_s);
        {
            Pane p = makePane();
            EventHook painted(
                p.table->viewport(), QEvent::Paint, [] { return true; }, [] {});
            p.pane->show();
            QVERIFY(QTest::qWaitForWindowExposed(p.pane.get()));
            QTRY_VERIFY(painted.fired);
            QCOMPARE(g_pageReads, QList<int>({ 0 }));
            QCOMPARE(p.rows(), int(m_rows.size()));
            QCOMPARE(p.count->text(), countText(int(m_rows.size())));
        }
        QLoggingCategory::setFilterRules(u"cdesk.store.info=false"_s);
        qInstallMessageHandler(g_previousHandler);
    }

    void search_filtersAsYouType()
    {
        Pane p = makePane();
        const int all = p.rows();
        QTest::keyClicks(p.search, u"chen number 1"_s);
        // Debounced: nothing is queried while the recruiter is still typing.
        QCOMPARE(p.rows(), all);
        const int want = expectedCount(
            [](const Row &r) { return r.name.toCaseFolded().contains(u"chen number 1"_s); });
        QVERIFY(want > 1);
        QTRY_COMPARE(p.rows(), want);
        QCOMPARE(p.count->text(), countText(want));
        for (int r = 0; r < p.rows(); ++r) {
            QVERIFY(p.table->model()
                        ->index(r, HistoryModel::Name)
                        .data()
                        .toString()
                        .startsWith(u"Chen Number 1"_s));
        }
        // Accents and case fold.
        p.search->setText(u"ÉLODIE"_s);
        QTRY_COMPARE(p.rows(),
                     expectedCount([](const Row &r) { return r.name.startsWith(u"Élodie"_s); }));
        // By server id, with or without '#'.
        p.search->setText(u"#4242"_s);
        QTRY_COMPARE(p.rows(), 1);
        QCOMPARE(p.table->model()->index(0, HistoryModel::Name).data().toString(),
                 u"Samuel Sentwell"_s);
        p.search->clear();
        QTRY_COMPARE(p.rows(), all);
    }

    void statusFilter_showsOnlyThatStatus()
    {
        Pane p = makePane();
        for (auto state :
             { SubmissionState::Failed, SubmissionState::Sent, SubmissionState::NeedsDecision,
               SubmissionState::Cancelled, SubmissionState::Pending }) {
            const int index = p.status->findData(int(state));
            QVERIFY(index > 0);
            p.status->setCurrentIndex(index);
            const int want = expectedCount([&](const Row &r) { return r.state == state; });
            QTRY_COMPARE(p.rows(), want);
            for (int r = 0; r < qMin(want, 30); ++r) {
                QCOMPARE(p.table->model()->index(r, HistoryModel::Status).data().toString(),
                         p.status->currentText());
            }
        }
        QCOMPARE(p.status->itemText(p.status->findData(int(SubmissionState::NeedsDecision))),
                 u"Needs a decision"_s);
        p.status->setCurrentIndex(0);
        QCOMPARE(p.status->currentText(), u"Any status"_s);
        QTRY_COMPARE(p.rows(), int(m_rows.size()));
    }

    void jobFilter_listsTheJobsAndTalentPool()
    {
        Pane p = makePane();
        QStringList items;
        for (int i = 0; i < p.job->count(); ++i)
            items << p.job->itemText(i);
        QCOMPARE(items,
                 QStringList(
                     { u"Any job"_s, u"Talent Pool"_s, u"Backend Engineer"_s, u"Data Analyst"_s }));
        p.job->setCurrentIndex(p.job->findText(u"Data Analyst"_s));
        QTRY_COMPARE(p.rows(), expectedCount([](const Row &r) { return r.jobId == 11; }));
        QCOMPARE(p.table->model()->index(0, HistoryModel::Job).data().toString(),
                 u"Data Analyst"_s);
        p.job->setCurrentIndex(p.job->findText(u"Talent Pool"_s));
        QTRY_COMPARE(p.rows(), expectedCount([](const Row &r) { return !r.jobId; }));
        // New titles keep the job chosen.
        p.job->setCurrentIndex(p.job->findText(u"Data Analyst"_s));
        const int analysts = p.rows();
        QHash<qint64, QString> titles = m_titles;
        titles.insert(12, u"Account Manager"_s);
        p.pane->setJobTitles(titles);
        QCOMPARE(p.job->currentText(), u"Data Analyst"_s);
        QCOMPARE(p.job->itemText(2), u"Account Manager"_s);
        QCOMPARE(p.rows(), analysts);
    }

    void dateRange_filtersDays_andAnyDateShowsAll()
    {
        Pane p = makePane();
        QCOMPARE(p.from->text(), u"Any date"_s);
        QCOMPARE(p.to->text(), u"Any date"_s);
        const QDate from(2026, 9, 4);
        const QDate to(2026, 9, 6);
        p.from->setDate(from);
        p.to->setDate(to);
        const int want = expectedCount([&](const Row &r) {
            const QDate day = r.createdAt.toUTC().date();
            return day >= from && day <= to;
        });
        QCOMPARE(want, 300);
        QTRY_COMPARE(p.rows(), want);
        p.to->setDate(p.to->minimumDate());
        QCOMPARE(p.to->text(), u"Any date"_s);
        QTRY_COMPARE(p.rows(), expectedCount([&](const Row &r) {
                         return r.createdAt.toUTC().date() >= from;
                     }));
        p.pane->findChild<QToolButton *>(u"historyAnyDate"_s)->click();
        QTRY_COMPARE(p.rows(), int(m_rows.size()));
        QCOMPARE(p.from->text(), u"Any date"_s);
    }

    void dateCalendar_opensOnToday_whenAnyDate()
    {
        Pane p = makePane();
        p.pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(p.pane.get()));
        // The drop-down arrow, at the right end.
        QTest::mouseClick(p.from, Qt::LeftButton, {},
                          QPoint(p.from->width() - 6, p.from->height() / 2));
        QCalendarWidget *calendar = p.from->calendarWidget();
        QTRY_VERIFY(calendar->isVisible());
        QCOMPARE(calendar->yearShown(), QDate::currentDate().year());
        QCOMPARE(calendar->monthShown(), QDate::currentDate().month());
        QTest::keyClick(calendar, Qt::Key_Escape);
        QTRY_VERIFY(!calendar->isVisible());
        QCOMPARE(p.from->text(), u"Any date"_s);
    }

    void details_showWhatWasSentAndEveryAttempt()
    {
        Pane p = makePane();
        QVERIFY(p.details->toPlainText().contains(u"Select a submission"_s));
        QVERIFY(selectOnly(p, u"quintero"_s));
        const QString text = p.details->toPlainText();
        for (const QString &part :
             { u"Zoë Quintero"_s, u"zoe.quintero@example"_s, u"+91 98450 12345"_s,
               u"Backend Engineer"_s, u"Referral"_s, u"Software"_s, u"Zoë CV.pdf"_s,
               u"https://linkedin.example/x"_s, m_failedKey, u"The form"_s,
               // what came back: the reason, the field errors, every attempt
               u"The server refused the candidate."_s, u"Email: Enter a valid email address."_s,
               u"503"_s, u"The server is busy."_s, u"400"_s, u"Will retry"_s }) {
            QVERIFY2(text.contains(part), qPrintable(part + u" not in:\n"_s + text));
        }
        QVERIFY(selectOnly(p, u"duplicate"_s));
        QVERIFY(p.details->toPlainText().contains(u"#777"_s));
        QVERIFY(p.details->toPlainText().contains(u"409"_s));
        QVERIFY(selectOnly(p, u"Sentwell"_s));
        QVERIFY(p.details->toPlainText().contains(u"#4242"_s));
        QVERIFY(p.details->toPlainText().contains(u"201"_s));
        // Markup in a name is shown as typed, never run.
        QVERIFY(selectOnly(p, u"HYPERLINK"_s));
        QVERIFY(p.details->toPlainText().contains(u"=HYPERLINK(\"http://x\")"_s));
    }

    void retry_onlyForRowsThatCanBeSentAgain_emitsTheId()
    {
        Pane p = makePane();
        QSignalSpy retried(p.pane.get(), &HistoryPane::retryRequested);
        QVERIFY(!p.retry->isEnabled()); // nothing selected
        const QList<std::pair<QString, bool>> cases { { u"Sentwell"_s, false },
                                                      { u"jo.smith"_s, false }, // waiting
                                                      { u"quintero"_s, true },
                                                      { u"Duplicate"_s,
                                                        false }, // "Update", not "Retry"
                                                      { u"Cancelled"_s, true } };
        for (const auto &[text, enabled] : cases) {
            QVERIFY(selectOnly(p, text));
            QVERIFY2(p.retry->isEnabled() == enabled, qPrintable(text));
        }
        QVERIFY(selectOnly(p, u"quintero"_s));
        QTest::mouseClick(p.retry, Qt::LeftButton);
        QCOMPARE(retried.count(), 1);
        QCOMPARE(retried.first().first().toLongLong(), m_failedId);
    }

    void update_forRowsTheServerKnows_emitsTheSubmission()
    {
        Pane p = makePane();
        QSignalSpy updates(p.pane.get(), &HistoryPane::updateRequested);
        QVERIFY(selectOnly(p, u"quintero"_s));
        QVERIFY(!p.update->isEnabled()); // never reached the server
        QVERIFY(selectOnly(p, u"Duplicate"_s));
        QVERIFY(p.update->isEnabled()); // the existing candidate
        QVERIFY(selectOnly(p, u"Sentwell"_s));
        QVERIFY(p.update->isEnabled());
        QTest::mouseClick(p.update, Qt::LeftButton);
        QCOMPARE(updates.count(), 1);
        const auto s = updates.first().first().value<Submission>();
        QCOMPARE(s.id, m_sentId);
        QCOMPARE(s.serverId, std::optional<qint64>(4242));
        QCOMPARE(s.candidate.email, u"samuel@example.com"_s);
        QCOMPARE(s.candidate.jobId, std::optional<qint64>(11));
    }

    void export_writesTheFilteredRowsAsCsv()
    {
        Pane p = makePane();
        // Everything: more than two export pages, newest first, each row once.
        const QString path = m_dir.filePath(u"all.csv"_s);
        Dialogs::setNextFile(path);
        QTest::mouseClick(p.exportButton, Qt::LeftButton);
        QTRY_VERIFY(QFile::exists(path));
        QTRY_VERIFY(p.exportButton->isEnabled());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        QVERIFY(bytes.startsWith("\xEF\xBB\xBF"));
        QString problem;
        const QList<QStringList> records = parseCsv(QString::fromUtf8(bytes.mid(3)), &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(records.value(0),
                 QStringList({ u"Time"_s, u"Name"_s, u"Email"_s, u"Phone"_s, u"Job"_s, u"Source"_s,
                               u"Status"_s, u"Server ID"_s, u"Error"_s, u"Resume file"_s,
                               u"Resume link"_s }));
        QList<Row> newestFirst = m_rows;
        std::sort(newestFirst.begin(), newestFirst.end(), [](const Row &a, const Row &b) {
            return a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
        });
        QCOMPARE(records.size() - 1, newestFirst.size());
        for (int i = 0; i < newestFirst.size(); ++i) {
            const QStringList &record = records.at(i + 1);
            QCOMPARE(record.size(), 11);
            QCOMPARE(record.at(2), newestFirst.at(i).email);
            const QString name = newestFirst.at(i).name;
            QCOMPARE(record.at(1), name.startsWith(u'=') ? u'\'' + name : name);
        }
        QVERIFY(
            p.pane->findChild<QLabel *>(u"historyExportStatus"_s)->text().contains(u"all.csv"_s));

        // The current filter only, and the fields a spreadsheet needs quoted.
        p.status->setCurrentIndex(p.status->findData(int(SubmissionState::Pending)));
        p.search->setText(u"example.com"_s);
        QTRY_COMPARE(p.pane->model()->filter().text, u"example.com"_s);
        const QString filtered = m_dir.filePath(u"waiting.csv"_s);
        Dialogs::setNextFile(filtered);
        QTest::mouseClick(p.exportButton, Qt::LeftButton);
        QTRY_VERIFY(QFile::exists(filtered));
        QFile second(filtered);
        QVERIFY(second.open(QIODevice::ReadOnly));
        const QByteArray raw = second.readAll();
        QVERIFY(raw.startsWith("\xEF\xBB\xBF"));
        QVERIFY(raw.contains("\"Smith, \"\"Jo\"\"\""));
        QVERIFY(raw.contains("\"Line\nBreak\""));
        QVERIFY(raw.contains("\xC3\x86r\xC3\xB8sk\xC3\xB8"
                             "bing")); // Ærøskøbing in UTF-8
        const QList<QStringList> rows = parseCsv(QString::fromUtf8(raw.mid(3)), &problem);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(rows.size() - 1, p.rows());
        QCOMPARE(rows.size() - 1, expectedCount([](const Row &r) {
                     return r.state == SubmissionState::Pending
                         && r.email.contains(u"example.com"_s);
                 }));
        QStringList names;
        for (const QStringList &r : rows.mid(1)) {
            QCOMPARE(r.at(6), u"Waiting"_s);
            names << r.at(1);
        }
        QVERIFY(names.contains(u"Smith, \"Jo\""_s));
        QVERIFY(names.contains(u"Line\nBreak"_s));
        QVERIFY(names.contains(u"Ærøskøbing Ünïcödé"_s));
        QVERIFY(names.contains(u"'=HYPERLINK(\"http://x\")"_s)); // not run as a formula
        const auto jo = std::find_if(rows.cbegin(), rows.cend(), [](const QStringList &r) {
            return r.at(1) == u"Smith, \"Jo\""_s;
        });
        QCOMPARE(jo->at(3), u"+91 98450 12345"_s); // a phone number is left as it is
        QCOMPARE(jo->at(4), u"Data Analyst"_s);
    }

    void export_toAFolderThatIsNotThere_saysWhatToDo()
    {
        Pane p = makePane();
        const QString path = m_dir.filePath(u"missing/folder/history.csv"_s);
        Dialogs::setNextFile(path);
        Dialogs::setNextAnswer(QMessageBox::Ok); // the warning is shown without blocking
        QTest::mouseClick(p.exportButton, Qt::LeftButton);
        QTRY_VERIFY(Dialogs::lastMessage().contains(u"Could not export the history"_s));
        QVERIFY(Dialogs::lastMessage().contains(u"Choose another folder"_s));
        QVERIFY(Dialogs::lastMessage().contains(QDir::toNativeSeparators(path)));
        QVERIFY(p.exportButton->isEnabled());
        QVERIFY(!QFile::exists(path));
    }

    void export_cancelled_leavesNoFile_andSaysSo()
    {
        Pane p = makePane();
        auto *cancel = p.pane->findChild<QPushButton *>(u"historyExportCancel"_s);
        auto *status = p.pane->findChild<QLabel *>(u"historyExportStatus"_s);
        QVERIFY(cancel && status);
        QVERIFY(cancel->isHidden());
        const QString path = m_dir.filePath(u"cancelled.csv"_s);
        // The recruiter clicks Cancel while the first page is queued.
        bool exporting = false;
        EventHook clickCancel(
            p.pane->findChild<QObject *>(u"historyExportJob"_s), QEvent::MetaCall,
            [&] { return !cancel->isHidden(); },
            [&] {
                exporting = !p.exportButton->isEnabled();
                cancel->click();
            });
        Dialogs::setNextFile(path);
        QTest::mouseClick(p.exportButton, Qt::LeftButton);
        QTRY_VERIFY(clickCancel.fired);
        QVERIFY(exporting);
        QCOMPARE(status->text(), u"Export cancelled: no file was written."_s);
        QVERIFY(cancel->isHidden());
        QVERIFY(p.exportButton->isEnabled());
        QTest::qWait(50); // nothing queued before the cancel writes anything
        QVERIFY(!QFile::exists(path));
        QCOMPARE(QDir(m_dir.path()).entryList({ u"cancelled.csv*"_s }, QDir::Files), QStringList());
    }

    // The engine keeps working while an export runs, one page per turn of the
    // event loop: rows arrive on top and rows leave the filter. Each row that
    // matched when the export began is written once, in order.
    void export_whileRowsArriveAndLeave_writesEachRowOnce()
    {
        Pane p = makePane();
        p.status->setCurrentIndex(p.status->findData(int(SubmissionState::Pending)));
        QTRY_VERIFY(p.pane->model()->filter().state.has_value());
        auto *status = p.pane->findChild<QLabel *>(u"historyExportStatus"_s);
        auto waitingNewestFirst = [&] {
            QList<Row> rows;
            for (const Row &r : std::as_const(m_rows)) {
                if (r.state == SubmissionState::Pending)
                    rows << r;
            }
            std::sort(rows.begin(), rows.end(), [](const Row &a, const Row &b) {
                return a.createdAt != b.createdAt ? a.createdAt > b.createdAt : a.id > b.id;
            });
            return rows;
        };
        auto exportedEmails = [&](const QString &path) {
            QFile file(path);
            QStringList emails;
            if (!file.open(QIODevice::ReadOnly))
                return emails;
            QString problem;
            const auto records = parseCsv(QString::fromUtf8(file.readAll().mid(3)), &problem);
            for (const QStringList &r : records.mid(1))
                emails << r.value(2);
            return emails;
        };
        auto emailsOf = [](const QList<Row> &rows) {
            QStringList emails;
            for (const Row &r : rows)
                emails << r.email;
            return emails;
        };
        // The next step of an export is a queued call to the export job; the
        // first page is written once the status shows a percentage.
        QObject *job = p.pane->findChild<QObject *>(u"historyExportJob"_s);
        QVERIFY(job);
        auto afterFirstPage = [&] {
            return status->text().contains(u'%');
        };

        // 80 rows the export has already written leave the filter: the rows
        // after them move up past the overlap, and the export looks back.
        const QList<Row> before = waitingNewestFirst();
        QVERIFY(before.size() > 1000);
        QString error;
        EventHook cancel(job, QEvent::MetaCall, afterFirstPage, [&] {
            // In one transaction, as the engine would over a few seconds.
            QStringList ids;
            for (int i = 100; i < 180; ++i) {
                ids << QString::number(before.at(i).id);
                setState(before.at(i).id, SubmissionState::Cancelled);
            }
            QVERIFY2(
                m_db->exec(u"UPDATE submissions SET state = 'cancelled' WHERE id IN (%1)"_s.arg(
                               ids.join(u',')),
                           u"cancel"_s, &error),
                qPrintable(error));
        });
        const QString first = m_dir.filePath(u"leaving.csv"_s);
        Dialogs::setNextFile(first);
        QTest::mouseClick(p.exportButton, Qt::LeftButton);
        QTRY_VERIFY(QFile::exists(first));
        QVERIFY(cancel.fired);
        QCOMPARE(exportedEmails(first), emailsOf(before));

        // 600 rows arrive on top, more than a page: they are newer than the
        // first row written, so they are not part of this export.
        p.pane->refresh();
        QTRY_VERIFY(!status->text().contains(u'%'));
        const QList<Row> start = waitingNewestFirst();
        EventHook arrive(job, QEvent::MetaCall, afterFirstPage, [&] {
            // After every row so far, before the rows the tests below add.
            m_clock.set(QDateTime(QDate(2026, 9, 19), QTime(9, 0), QTimeZone::utc()));
            QList<Submission> batch;
            for (int i = 0; i < 600; ++i) {
                Submission s;
                s.candidate.name = u"Late %1"_s.arg(i);
                s.candidate.email = u"late.%1@example.com"_s.arg(i);
                batch << s;
            }
            const auto stored = m_outbox->enqueueAll(batch, &error);
            QVERIFY2(stored, qPrintable(error));
            for (const Submission &s : *stored) {
                m_rows << Row { s.id,         s.candidate.name,         s.candidate.email,
                                std::nullopt, SubmissionState::Pending, s.createdAt };
            }
        });
        const QString second = m_dir.filePath(u"arriving.csv"_s);
        Dialogs::setNextFile(second);
        QTest::mouseClick(p.exportButton, Qt::LeftButton);
        QTRY_VERIFY(QFile::exists(second));
        QVERIFY(arrive.fired);
        QCOMPARE(exportedEmails(second), emailsOf(start));
    }

    void refresh_newSubmissionOnTop_keepsTheSelectedRow()
    {
        Pane p = makePane();
        p.pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(p.pane.get()));
        p.table->selectRow(5);
        const qint64 selected
            = p.table->currentIndex().data(HistoryModel::SubmissionIdRole).toLongLong();
        const int before = p.rows();
        m_clock.set(QDateTime(QDate(2026, 9, 20), QTime(9, 30), QTimeZone::utc()));
        QVERIFY(enqueue(u"Newest Arrival"_s, u"newest@example.com"_s));
        p.pane->refresh();
        QTRY_COMPARE(p.rows(), before + 1);
        QCOMPARE(p.count->text(), countText(before + 1));
        QCOMPARE(p.table->model()->index(0, HistoryModel::Name).data().toString(),
                 u"Newest Arrival"_s);
        QCOMPARE(p.table->currentIndex().row(), 6);
        QCOMPARE(p.table->currentIndex().data(HistoryModel::SubmissionIdRole).toLongLong(),
                 selected);
        // Many refreshes in a burst (a CSV import draining) still end up current.
        QVERIFY(enqueue(u"Burst One"_s, u"burst1@example.com"_s));
        p.pane->refresh();
        QVERIFY(enqueue(u"Burst Two"_s, u"burst2@example.com"_s));
        p.pane->refresh();
        QTRY_COMPARE(p.rows(), before + 3);
        QCOMPARE(p.table->currentIndex().data(HistoryModel::SubmissionIdRole).toLongLong(),
                 selected);
    }

    // The recruiter reading further down keeps reading the same rows while new
    // ones arrive on top, and while rows leave the filter below them.
    void refresh_keepsTheRowsTheRecruiterIsReading()
    {
        Pane p = makePane();
        p.pane->show();
        QVERIFY(QTest::qWaitForWindowExposed(p.pane.get()));
        auto firstShownId = [&] {
            return p.table->model()
                ->index(p.table->rowAt(0), 0)
                .data(HistoryModel::SubmissionIdRole)
                .toLongLong();
        };
        p.table->scrollTo(p.table->model()->index(300, 0), QAbstractItemView::PositionAtTop);
        QCOMPARE(p.table->rowAt(0), 300);
        const qint64 reading = firstShownId();
        const int before = p.rows();
        m_clock.set(QDateTime(QDate(2026, 9, 21), QTime(9, 0), QTimeZone::utc()));
        QVERIFY(enqueue(u"Arrival One"_s, u"arrival1@example.com"_s));
        QVERIFY(enqueue(u"Arrival Two"_s, u"arrival2@example.com"_s));
        p.pane->refresh();
        QTRY_COMPARE(p.rows(), before + 2);
        QCOMPARE(firstShownId(), reading);
        QCOMPARE(p.table->rowAt(0), 302);

        // At the top, the new rows are what the recruiter sees.
        p.table->scrollToTop();
        QVERIFY(enqueue(u"Arrival Three"_s, u"arrival3@example.com"_s));
        p.pane->refresh();
        QTRY_COMPARE(p.rows(), before + 3);
        QCOMPARE(p.table->rowAt(0), 0);
        QCOMPARE(p.table->model()->index(0, HistoryModel::Name).data().toString(),
                 u"Arrival Three"_s);

        // Under "Waiting", a row further down is cancelled: the model resets,
        // and the view stays where it was.
        p.status->setCurrentIndex(p.status->findData(int(SubmissionState::Pending)));
        QTRY_VERIFY(p.pane->model()->filter().state.has_value());
        p.table->scrollTo(p.table->model()->index(200, 0), QAbstractItemView::PositionAtTop);
        const qint64 shown = firstShownId();
        const qint64 below
            = p.table->model()->index(900, 0).data(HistoryModel::SubmissionIdRole).toLongLong();
        QString error;
        QVERIFY2(m_outbox->cancel(below, &error), qPrintable(error));
        setState(below, SubmissionState::Cancelled);
        const int waiting = p.rows();
        QSignalSpy reset(p.pane->model(), &QAbstractItemModel::modelReset);
        p.pane->refresh();
        QTRY_COMPARE(p.rows(), waiting - 1);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(p.table->rowAt(0), 200);
        QCOMPARE(firstShownId(), shown);
    }

    void focusSearch_putsTheCursorInTheSearchBox()
    {
        Pane p = makePane();
        p.pane->show();
        p.pane->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(p.pane.get()));
        p.table->setFocus();
        QTRY_VERIFY(p.table->hasFocus());
        p.search->setText(u"old search"_s);
        p.pane->focusSearch();
        QTRY_VERIFY(p.search->hasFocus());
        QCOMPARE(p.search->selectedText(), u"old search"_s); // typing replaces it
    }
};

QTEST_MAIN(TestHistoryPane)
#include "tst_historypane.moc"
