package io.userhub.functions.users;

import io.userhub.shared.identity.DisplayNames;
import io.userhub.shared.model.AppConfig;
import io.userhub.shared.model.Identity;
import io.userhub.shared.model.LoginState;
import io.userhub.shared.crypto.Hashing;
import io.userhub.shared.port.UserImports;
import io.userhub.shared.validation.AttributeRules;
import io.userhub.shared.validation.ErrorCode;
import io.userhub.shared.validation.Limits;
import io.userhub.shared.validation.Problem;
import io.userhub.shared.validation.Reason;
import io.userhub.shared.validation.UserRecordRules;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * CSV import of authenticated users (HelpCrunch): {@code user_id,email,name,phone,company} and
 * extra columns as custom user fields. Each row is validated by the rules user-id login applies,
 * then upserted by its user id: created with a conditional claim, updated field by field only
 * where something differs, so running the same file twice changes nothing the second time.
 */
public final class ImportUsersUseCase {
    /** At about 3 ms a row against DynamoDB this is ~10 s of writes in one invocation; larger files are split. */
    public static final int MAX_ROWS = 10_000;
    public static final int MAX_BYTES = 5 * 1024 * 1024;
    private static final int CHUNK = 100;
    private static final List<String> STANDARD_COLUMNS = List.of("user_id", "email", "name", "phone", "company");
    /**
     * HelpCrunch's sticky security_hash, set by the import: kept as a pin (its SHA-256, never the
     * value), so that only a user-id login presenting it reaches the imported profile.
     */
    private static final String SECURITY_HASH_COLUMN = "security_hash";

    public enum Status { CREATED, UPDATED, UNCHANGED, REJECTED }

    /** @param previouslyErasedAt epoch seconds of the erase of this row's user id, when its tombstone is still kept; else null */
    public record RowResult(int line, String userIdValue, Status status, String id, String reason, Map<String, String> errors,
                            Long previouslyErasedAt) {
        public RowResult(int line, String userIdValue, Status status, String id, String reason, Map<String, String> errors) {
            this(line, userIdValue, status, id, reason, errors, null);
        }
    }

    record Row(int line, String userIdValue, Map<String, String> fields, Map<String, String> customFields, String securityHash) {}

    private final UserImports users;
    private final Clock clock;
    private final java.util.concurrent.Executor workers;

    /** @param workers write the rows' chunks side by side, each under the request's time budget */
    public ImportUsersUseCase(UserImports users, Clock clock, java.util.concurrent.Executor workers) {
        this.users = users;
        this.clock = clock;
        this.workers = workers;
    }

    /** The file read and checked, before anything is written: the rows to write, and the rejected rows' results. */
    record ReadFile(List<Row> valid, List<RowResult> rejected) {}

    public List<RowResult> importCsv(AppConfig app, String csv) {
        ReadFile file = read(app, csv);
        List<Row> valid = file.valid();
        List<RowResult> results = new ArrayList<>(file.rejected());
        List<CompletableFuture<List<RowResult>>> chunks = new ArrayList<>();
        for (int from = 0; from < valid.size(); from += CHUNK) {
            List<Row> chunk = valid.subList(from, Math.min(valid.size(), from + CHUNK));
            // Past the request's time budget the workers' calls stop and the import answers 503 before the
            // function's timeout; a re-run skips the rows already written.
            chunks.add(CompletableFuture.supplyAsync(() -> upsert(app, chunk), workers));
        }
        chunks.forEach(chunk -> results.addAll(io.userhub.shared.concurrent.Futures.join(chunk)));
        results.sort(java.util.Comparator.comparingInt(RowResult::line));
        return results;
    }

    /**
     * Parses and validates the whole file by the rules user-id login applies: a refusal of the
     * file (no header, unterminated quote, too many rows) or each row valid or rejected.
     */
    static ReadFile read(AppConfig app, String csv) {
        List<List<String>> table;
        try {
            table = Csv.parse(csv);
        } catch (Csv.MalformedCsv malformed) {
            throw Problem.withDetails(Reason.FIELD_INVALID, Map.of("problem", "UNTERMINATED_QUOTE", "line", malformed.line)).reject();
        }
        if (table.isEmpty()) {
            throw Problem.withDetails(Reason.FIELD_INVALID, Map.of("problem", "NO_HEADER_ROW")).reject();
        }
        List<String> header = table.get(0).stream().map(String::trim).toList();
        checkHeader(header);
        if (table.size() - 1 > MAX_ROWS) {
            throw Problem.withDetails(Reason.IMPORT_TOO_LARGE, Map.of("maxRows", MAX_ROWS, "receivedRows", table.size() - 1,
                    "hint", "split the file into files of at most " + MAX_ROWS + " rows, each with the header row")).reject();
        }
        List<RowResult> results = new ArrayList<>();
        List<Row> valid = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < table.size(); i++) {
            int line = i + 1;
            List<String> cells = table.get(i);
            RowOrRejection parsed = readRow(app, header, cells, line);
            if (parsed.rejection != null) {
                results.add(parsed.rejection);
            } else if (!seen.add(parsed.row.userIdValue())) {
                results.add(new RowResult(line, parsed.row.userIdValue(), Status.REJECTED, null, "DUPLICATE_USER_ID", Map.of()));
            } else {
                valid.add(parsed.row);
            }
        }
        return new ReadFile(valid, results);
    }

    private static void checkHeader(List<String> header) {
        if (header.isEmpty() || !header.get(0).equals("user_id")) {
            throw Problem.withDetails(Reason.FIELD_INVALID, Map.of("problem", "HEADER_MUST_START_WITH_USER_ID",
                    "expected", String.join(",", STANDARD_COLUMNS) + "[,custom fields...]")).reject();
        }
        if (new HashSet<>(header).size() != header.size() || header.stream().anyMatch(String::isEmpty)) {
            throw Problem.withDetails(Reason.FIELD_INVALID, Map.of("problem", "DUPLICATE_OR_EMPTY_COLUMN")).reject();
        }
        long custom = header.stream().filter(c -> !STANDARD_COLUMNS.contains(c) && !c.equals(SECURITY_HASH_COLUMN)).count();
        if (custom > Limits.COLLECTION_SIZE_MAX) {
            throw Problem.withDetails(Reason.FIELD_INVALID, Map.of("problem", "TOO_MANY_CUSTOM_FIELD_COLUMNS",
                    "maxCustomFields", Limits.COLLECTION_SIZE_MAX)).reject();
        }
        for (String column : header) {
            if (column.length() > Limits.KEY_LENGTH_MAX) {
                throw Problem.withErrors(Reason.FIELD_INVALID, Map.of(column, ErrorCode.KEY_LENGTH_LIMIT_EXCEEDED.name())).reject();
            }
        }
    }

    private record RowOrRejection(Row row, RowResult rejection) {}

    private static RowOrRejection readRow(AppConfig app, List<String> header, List<String> cells, int line) {
        if (cells.size() != header.size()) {
            return new RowOrRejection(null, new RowResult(line, null, Status.REJECTED, null, "MALFORMED_ROW",
                    Map.of("columns", "expected " + header.size() + ", found " + cells.size())));
        }
        String userId = cells.get(0).trim();
        Map<String, String> errors = new LinkedHashMap<>();
        ErrorCode userIdError = UserRecordRules.userIdError(userId, app.settings().blockedValues());
        if (userIdError != null) {
            errors.put("user_id", userIdError.name());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, String> customFields = new LinkedHashMap<>();
        String securityHash = null;
        for (int c = 1; c < header.size(); c++) {
            String column = header.get(c);
            String value = cells.get(c).trim();
            if (value.isEmpty()) {
                continue;
            }
            if (column.equals(SECURITY_HASH_COLUMN)) {
                // The login's own rule, on the cell as written: every imported hash can be presented.
                ErrorCode error = UserRecordRules.securityHashError(cells.get(c));
                if (error != null) {
                    errors.put(column, error.name());
                } else {
                    securityHash = cells.get(c);
                }
                continue;
            }
            ErrorCode error = STANDARD_COLUMNS.contains(column)
                    ? UserRecordRules.fieldError(column, value)
                    : AttributeRules.fieldError(column, value, app.settings().customFieldSchema());
            if (error != null) {
                errors.put(column, error.name());
            } else if (STANDARD_COLUMNS.contains(column)) {
                fields.put(column, value);
            } else {
                customFields.put(column, value);
            }
        }
        if (!errors.isEmpty()) {
            String reason = errors.containsKey("user_id") ? Reason.IDENTITIES_DATA_INVALID.name() : Reason.FIELD_INVALID.name();
            return new RowOrRejection(null, new RowResult(line, userId, Status.REJECTED, null, reason, errors));
        }
        return new RowOrRejection(new Row(line, userId, fields, customFields, securityHash), null);
    }

    private List<RowResult> upsert(AppConfig app, List<Row> rows) {
        String domain = app.domainId();
        List<Identity> uids = rows.stream().map(r -> Identity.uid(r.userIdValue())).toList();
        LoginState claims = users.readClaims(domain, uids);
        List<String> existingIds = rows.stream().map(r -> claims.claim(Identity.uid(r.userIdValue())))
                .flatMap(Optional::stream).map(c -> c.userId()).toList();
        Map<String, UserImports.UserFields> stored = users.findUserFields(domain, existingIds);
        // A user id with no claim may be one an erase released: created again all the same (the backend
        // vouches for it), and reported, so stale data that brings an erased person back is seen.
        List<Identity> unclaimed = uids.stream().filter(uid -> claims.claim(uid).isEmpty()).toList();
        Map<String, Long> erased = unclaimed.isEmpty() ? Map.of()
                : users.erasedAt(domain, unclaimed, clock.instant().getEpochSecond());
        List<RowResult> results = new ArrayList<>();
        for (Row row : rows) {
            Optional<String> existing = claims.claim(Identity.uid(row.userIdValue())).map(c -> c.userId());
            if (existing.isPresent() && sameAsStored(row, stored.get(existing.get()))) {
                Status status = pinned(app, row, existing.get()) ? Status.UPDATED : Status.UNCHANGED;
                results.add(new RowResult(row.line(), row.userIdValue(), status, existing.get(), null, Map.of()));
            } else {
                RowResult upserted = upsertRow(domain, row, existing);
                RowResult result = upserted.status() == Status.UNCHANGED && pinned(app, row, upserted.id())
                        ? new RowResult(upserted.line(), upserted.userIdValue(), Status.UPDATED, upserted.id(), null, Map.of())
                        : upserted;
                if (upserted.status() != Status.UNCHANGED) {
                    pinned(app, row, upserted.id());
                }
                Long erasedAt = erased.get(Identity.uid(row.userIdValue()).profileKey());
                results.add(erasedAt == null || result.status() != Status.CREATED ? result
                        : new RowResult(result.line(), result.userIdValue(), result.status(), result.id(), null, Map.of(), erasedAt));
            }
        }
        return results;
    }

    /** Sets the row's security-hash pin on the user's profile; false when there is none, or the same one is already set. */
    private boolean pinned(AppConfig app, Row row, String userId) {
        return row.securityHash() != null
                && users.pinImported(app.domainId(), app.appId(), row.userIdValue(), Hashing.sha256Hex(row.securityHash()), userId);
    }

    /** A re-run of the same file reads and compares, and writes nothing. */
    private static boolean sameAsStored(Row row, UserImports.UserFields stored) {
        return stored != null
                && stored.fields().entrySet().containsAll(row.fields().entrySet())
                && stored.customFields().entrySet().containsAll(row.customFields().entrySet());
    }

    private RowResult upsertRow(String domain, Row row, Optional<String> existing) {
        long now = clock.instant().getEpochSecond();
        UserImports.UserFields fields = new UserImports.UserFields(row.fields(), row.customFields());
        if (existing.isEmpty()) {
            String userId = Hashing.randomId();
            Identity uid = Identity.uid(row.userIdValue());
            String name = row.fields().getOrDefault("name", DisplayNames.random());
            if (users.createImportedUser(domain, userId, uid, name, fields, now)) {
                return new RowResult(row.line(), row.userIdValue(), Status.CREATED, userId, null, Map.of());
            }
            existing = users.findClaim(domain, uid).map(c -> c.userId());
            if (existing.isEmpty()) {
                // The claim that refused the create is gone again (an erase in between): this row is for a re-run.
                throw Problem.withDetails(Reason.SERVICE_BUSY, Map.of("retryAfterSeconds", 1)).reject();
            }
        }
        Status status = users.updateUserFields(domain, existing.get(), fields, now) ? Status.UPDATED : Status.UNCHANGED;
        return new RowResult(row.line(), row.userIdValue(), status, existing.get(), null, Map.of());
    }
}
