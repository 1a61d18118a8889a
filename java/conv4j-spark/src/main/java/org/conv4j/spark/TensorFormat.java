package org.conv4j.spark;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * How a tensor column holds its NCHW floats, element {@code [n][c][h][w]} at index
 * {@code ((n*C + c)*H + h)*W + w}. The format follows from the column's Spark type, and the output
 * column uses the input's format.
 */
public enum TensorFormat {
    /** {@code array<float>}: what Spark ML and most Parquet writers produce. */
    FLOAT_ARRAY(DataTypes.createArrayType(DataTypes.FloatType, true)),
    /** {@code binary}: 4 bytes per element, IEEE 754 float32 little-endian (numpy {@code <f4} {@code tobytes()}). */
    BINARY_F32LE(DataTypes.BinaryType);

    private final DataType sparkType;

    TensorFormat(DataType sparkType) {
        this.sparkType = sparkType;
    }

    /** The Spark type of a column in this format. */
    public DataType sparkType() {
        return sparkType;
    }

    /** The format of column {@code name} of type {@code type}; IllegalArgumentException for any other type. */
    public static TensorFormat of(String name, DataType type) {
        if (type instanceof ArrayType a && a.elementType().equals(DataTypes.FloatType)) return FLOAT_ARRAY;
        if (type.equals(DataTypes.BinaryType)) return BINARY_F32LE;
        throw new IllegalArgumentException("tensor column '" + name + "' has type " + type.simpleString()
                + "; expected array<float> or binary (float32 little-endian)");
    }

    /**
     * Reads a row's value into {@code into} (length = the expected element count), or throws
     * {@link CorruptRowException} saying why it cannot: null, wrong length, a null element.
     */
    void decode(String column, Object value, float[] into) throws CorruptRowException {
        if (value == null) throw new CorruptRowException(column + " is null");
        if (this == BINARY_F32LE) {
            byte[] bytes = (byte[]) value;
            if (bytes.length != 4L * into.length) {
                throw new CorruptRowException(column + " holds " + bytes.length + " bytes, expected "
                        + 4L * into.length + " (" + into.length + " float32)");
            }
            ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(into);
            return;
        }
        List<?> list = asList(value);
        if (list.size() != into.length) {
            throw new CorruptRowException(column + " holds " + list.size() + " elements, expected " + into.length);
        }
        for (int i = 0; i < into.length; i++) {
            Object e = list.get(i);
            if (e == null) throw new CorruptRowException(column + " has a null element at index " + i);
            into[i] = ((Number) e).floatValue();
        }
    }

    /** The column value holding {@code values} in this format. */
    Object encode(float[] values) {
        if (this == BINARY_F32LE) {
            ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(values);
            return b.array();
        }
        return seq(values);
    }

    /** A Scala sequence over {@code array} (a primitive or object array), as Spark's row encoder takes arrays. */
    static scala.collection.Seq<?> seq(Object array) {
        return scala.collection.immutable.ArraySeq$.MODULE$.unsafeWrapArray(array);
    }

    /** A Row's array value as a Java list (Spark hands out Scala sequences). */
    static List<?> asList(Object value) {
        if (value instanceof List<?> l) return l;
        if (value instanceof scala.collection.Seq<?> s) return scala.jdk.javaapi.CollectionConverters.asJava(s);
        throw new IllegalStateException("array column holds a " + value.getClass().getName());
    }
}
