package io.stator.remote.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.EnumDescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.InvalidProtocolBufferException;
import io.stator.remote.protocol.types.WrapperTypes;
import org.junit.jupiter.api.Test;

/**
 * Our .proto files must describe exactly StateFun's messages: same package, names, field numbers, types and
 * oneofs. Compared against the descriptors compiled into the official SDK jar (only java options may differ).
 */
class ProtocolSchemaTest {

    @Test
    void requestReplyProtoMatchesStatefunsFieldForField() throws InvalidProtocolBufferException {
        FileDescriptorProto official = FileDescriptorProto.parseFrom(
                org.apache.flink.statefun.sdk.reqreply.generated.RequestReply.getDescriptor().toProto().toByteArray());
        FileDescriptorProto ours = RequestReplyProtocol.getDescriptor().toProto();

        assertEquals("io.statefun.sdk.reqreply", ours.getPackage());
        assertEquals(official.getPackage(), ours.getPackage());
        assertEquals(official.getSyntax(), ours.getSyntax());
        assertEquals(schemaOf(official), schemaOf(ours));
        assertTrue(schemaOf(ours).contains("message ToFunction\n  100 invocation"), "the comparison saw the messages");
    }

    @Test
    void typesProtoMatchesStatefunsWrappers() throws InvalidProtocolBufferException {
        FileDescriptorProto official = FileDescriptorProto.parseFrom(
                org.apache.flink.statefun.sdk.types.generated.Types.getDescriptor().toProto().toByteArray());
        FileDescriptorProto ours = WrapperTypes.getDescriptor().toProto();

        assertEquals("io.statefun.sdk.types", ours.getPackage());
        assertEquals(official.getPackage(), ours.getPackage());
        assertEquals(schemaOf(official), schemaOf(ours));
    }

    /** @return the wire-relevant part of a file: messages and enums without options or JSON names */
    private static String schemaOf(FileDescriptorProto file) {
        StringBuilder out = new StringBuilder();
        for (DescriptorProto message : file.getMessageTypeList()) {
            describe(message, "", out);
        }
        for (EnumDescriptorProto e : file.getEnumTypeList()) {
            describe(e, "", out);
        }
        return out.toString();
    }

    private static void describe(DescriptorProto message, String prefix, StringBuilder out) {
        String name = prefix + message.getName();
        out.append("message ").append(name).append('\n');
        for (FieldDescriptorProto field : message.getFieldList()) {
            out.append("  ").append(field.getNumber()).append(' ').append(field.getName()).append(' ')
                    .append(field.getLabel()).append(' ').append(field.getType()).append(' ').append(field.getTypeName());
            if (field.hasOneofIndex()) {
                out.append(" oneof ").append(message.getOneofDecl(field.getOneofIndex()).getName());
            }
            out.append('\n');
        }
        for (DescriptorProto nested : message.getNestedTypeList()) {
            describe(nested, name + ".", out);
        }
        for (EnumDescriptorProto e : message.getEnumTypeList()) {
            describe(e, name + ".", out);
        }
    }

    private static void describe(EnumDescriptorProto e, String prefix, StringBuilder out) {
        out.append("enum ").append(prefix).append(e.getName()).append('\n');
        e.getValueList().forEach(v -> out.append("  ").append(v.getNumber()).append(' ').append(v.getName()).append('\n'));
    }
}
