package io.painjournal.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.smile.SmileFactory;
import com.fasterxml.jackson.dataformat.smile.databind.SmileMapper;
import io.painjournal.events.Instants;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Function;

/**
 * The two Jackson mappers every record of the system is read and written with: {@link #JSON} for the
 * journal topic and the HTTP answers, {@link #SMILE} (Jackson's binary JSON) for the state stores and
 * the calls between instances. A record's Java type, with its Jackson annotations, is its one definition:
 * field names, which fields are required ({@code @JsonProperty(required = true)}), how optional ones are
 * left out, or that the state records travel as arrays in component order ({@code @JsonFormat(shape =
 * ARRAY)}: a fifth of the size and half the time of named fields). Both mappers:
 * <ul>
 *   <li>for the journal ({@link #JSON}), skip unknown fields (a newer writer may add some); for the state
 *       ({@link #SMILE}), refuse unknown named fields (a changed layout takes a new application id);</li>
 *   <li>refuse a null or missing primitive, and a missing required field, naming the field;</li>
 *   <li>never quote the input in an error (it may be anyone's health data, and errors are logged);</li>
 *   <li>write instants and dates as ISO-8601 text ({@link Instant#toString()}, {@link LocalDate#toString()})
 *       and read instants with {@link Instants#parse} (the stream thread's fast path).</li>
 * </ul>
 * (Jackson's Blackbird module was measured and left out: with records it doubled the decode time.)
 */
public final class Mappers {

    public static final ObjectMapper JSON = configure(JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build());
    public static final ObjectMapper SMILE = configure(SmileMapper.builder(new SmileFactory())
                    .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Mappers() {}

    private static ObjectMapper configure(ObjectMapper mapper) {
        SimpleModule time = new SimpleModule("pain-journal-time");
        time.addSerializer(Instant.class, new ToStringSerializer<>());
        time.addSerializer(LocalDate.class, new ToStringSerializer<>());
        time.addDeserializer(Instant.class, new TimeDeserializer<>(Instant.class, Instants::parse));
        time.addDeserializer(LocalDate.class, new TimeDeserializer<>(LocalDate.class, LocalDate::parse));
        return mapper.registerModule(time)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    /** A time that is not ISO-8601; its text is data, so it is not in the message. */
    public static final class BadTimeException extends com.fasterxml.jackson.databind.JsonMappingException {
        private static final long serialVersionUID = 1L;

        BadTimeException(JsonParser p) {
            super(p, "bad time");
        }
    }

    private static final class ToStringSerializer<T> extends JsonSerializer<T> {
        @Override
        public void serialize(T value, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeString(value.toString());
        }
    }

    /** A time read from its ISO-8601 text; any other shape, or a bad time, is an error naming no data. */
    private static final class TimeDeserializer<T> extends JsonDeserializer<T> {
        private final Class<T> type;
        private final Function<String, T> parse;

        TimeDeserializer(Class<T> type, Function<String, T> parse) {
            this.type = type;
            this.parse = parse;
        }

        @Override
        public T deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                return type.cast(ctx.handleUnexpectedToken(type, p));
            }
            try {
                return parse.apply(p.getText());
            } catch (DateTimeException e) {
                throw new BadTimeException(p);
            }
        }
    }
}
