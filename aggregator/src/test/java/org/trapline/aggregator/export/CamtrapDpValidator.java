package org.trapline.aggregator.export;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import org.trapline.localstack.samples.SharedData;

/**
 * Checks a Camtrap DP package against the standard's own files in {@code ../shared/formats/camtrap-dp}:
 * each table against its Table Schema (the fields in order, required values, types and formats, enums,
 * minimum and maximum, patterns, unique values and keys, foreign keys between the tables), and
 * {@code datapackage.json} against the profile (a JSON Schema, draft 4) with a real validator. The
 * profile's two references to schemas on the web (Frictionless' data package, GeoJSON) cannot be followed
 * offline and are left out. Returns what is wrong, nothing when the package is valid.
 */
public final class CamtrapDpValidator {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DATETIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(Z|[+-]\\d{2}:?\\d{2})");
    private static final Pattern INTEGER = Pattern.compile("-?\\d+");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private CamtrapDpValidator() {
    }

    static Path formats() {
        return SharedData.locate().root().resolve("formats/camtrap-dp");
    }

    public static List<String> validate(CamtrapDpExport.Package pkg) throws IOException {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Set<String>>> columns = new HashMap<>();
        for (String table : List.of("deployments", "media", "observations")) {
            JsonNode schema = JSON.readTree(formats().resolve(table + "-table-schema.json").toFile());
            List<List<String>> rows = parseCsv(pkg.text(table + ".csv"));
            problems.addAll(validateTable(table, schema, rows, columns));
        }
        for (String table : List.of("deployments", "media", "observations")) {
            JsonNode schema = JSON.readTree(formats().resolve(table + "-table-schema.json").toFile());
            for (JsonNode fk : schema.path("foreignKeys")) {
                String field = fk.get("fields").asText();
                String target = fk.get("reference").get("resource").asText();
                String targetField = fk.get("reference").get("fields").asText();
                for (String value : columns.get(table).get(field)) {
                    if (!columns.get(target).get(targetField).contains(value)) {
                        problems.add(table + "." + field + " '" + value + "' is not a " + target + "." + targetField);
                    }
                }
            }
        }
        problems.addAll(validateDescriptor(JSON.readTree(pkg.files().get("datapackage.json"))));
        return problems;
    }

    static List<String> validateDescriptor(JsonNode descriptor) throws IOException {
        JsonNode profile = JSON.readTree(formats().resolve("camtrap-dp-profile.json").toFile());
        dropRemoteReferences(profile);
        var schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(profile);
        List<String> problems = new ArrayList<>();
        schema.validate(descriptor).forEach(m -> problems.add("datapackage.json: " + m.getMessage()));
        return problems;
    }

    private static void dropRemoteReferences(JsonNode node) {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.asText().startsWith("http")) {
                object.remove("$ref");
            }
            object.forEach(CamtrapDpValidator::dropRemoteReferences);
        } else if (node.isArray()) {
            for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
                JsonNode child = it.next();
                if (child.isObject() && child.size() == 1 && child.has("$ref") && child.get("$ref").asText().startsWith("http")) {
                    ((ObjectNode) child).remove("$ref");
                }
                dropRemoteReferences(child);
            }
        }
    }

    private static List<String> validateTable(String table, JsonNode schema, List<List<String>> rows,
                                              Map<String, Map<String, Set<String>>> columns) {
        List<String> problems = new ArrayList<>();
        List<String> names = new ArrayList<>();
        schema.get("fields").forEach(f -> names.add(f.get("name").asText()));
        if (rows.isEmpty() || !rows.get(0).equals(names)) {
            problems.add(table + ": header " + (rows.isEmpty() ? "missing" : rows.get(0)) + " is not the schema's fields " + names);
            return problems;
        }
        Set<String> missing = new HashSet<>();
        schema.path("missingValues").forEach(v -> missing.add(v.asText()));
        Map<String, Set<String>> values = new HashMap<>();
        columns.put(table, values);
        for (int c = 0; c < names.size(); c++) {
            JsonNode field = schema.get("fields").get(c);
            String name = names.get(c);
            JsonNode constraints = field.path("constraints");
            Set<String> seen = new HashSet<>();
            values.put(name, seen);
            for (int r = 1; r < rows.size(); r++) {
                List<String> row = rows.get(r);
                String where = table + " row " + r + " " + name;
                if (row.size() != names.size()) {
                    problems.add(table + " row " + r + " has " + row.size() + " cells, not " + names.size());
                    continue;
                }
                String value = row.get(c);
                if (missing.contains(value)) {
                    if (constraints.path("required").asBoolean(false)) {
                        problems.add(where + ": required, missing");
                    }
                    continue;
                }
                String typeProblem = typeProblem(field, value);
                if (typeProblem != null) {
                    problems.add(where + ": '" + value + "' " + typeProblem);
                    continue;
                }
                if (constraints.has("enum")) {
                    Set<String> allowed = new HashSet<>();
                    constraints.get("enum").forEach(v -> allowed.add(v.asText()));
                    if (!allowed.contains(value)) {
                        problems.add(where + ": '" + value + "' is not one of " + allowed);
                    }
                }
                if (constraints.has("minimum") && new BigDecimal(value).compareTo(constraints.get("minimum").decimalValue()) < 0) {
                    problems.add(where + ": " + value + " below " + constraints.get("minimum"));
                }
                if (constraints.has("maximum") && new BigDecimal(value).compareTo(constraints.get("maximum").decimalValue()) > 0) {
                    problems.add(where + ": " + value + " above " + constraints.get("maximum"));
                }
                if (constraints.has("pattern") && !Pattern.compile(constraints.get("pattern").asText()).matcher(value).matches()) {
                    problems.add(where + ": '" + value + "' does not match " + constraints.get("pattern"));
                }
                if (!seen.add(value) && (constraints.path("unique").asBoolean(false) || name.equals(schema.path("primaryKey").asText()))) {
                    problems.add(where + ": '" + value + "' is not unique");
                }
            }
        }
        return problems;
    }

    private static String typeProblem(JsonNode field, String value) {
        switch (field.get("type").asText()) {
            case "integer":
                return INTEGER.matcher(value).matches() ? null : "is not an integer";
            case "number":
                return NUMBER.matcher(value).matches() ? null : "is not a number";
            case "boolean":
                return value.equals("true") || value.equals("false") ? null : "is not true or false";
            case "datetime":
                if (!DATETIME.matcher(value).matches()) {
                    return "is not a date and time as " + field.path("format").asText();
                }
                try {
                    OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
                    return null;
                } catch (DateTimeParseException e) {
                    return "is not a date and time: " + e.getMessage();
                }
            default:
                return null;
        }
    }

    /** RFC 4180: commas, double quotes doubled inside quoted cells, CRLF or LF line ends. */
    public static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cell.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                row.add(cell.toString());
                cell.setLength(0);
            } else if (ch == '\n' || ch == '\r') {
                if (ch == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                row.add(cell.toString());
                cell.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                cell.append(ch);
            }
        }
        if (!cell.isEmpty() || !row.isEmpty()) {
            row.add(cell.toString());
            rows.add(row);
        }
        return rows;
    }
}
