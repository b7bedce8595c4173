package fr.guichet.channel.sms;

import com.twilio.twiml.TwiML;
import com.twilio.twiml.TwiMLException;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Node;

/**
 * Renders a TwiML document built by the SDK's builders exactly as {@link TwiML#toXml()} does (same DOM, built by the
 * SDK's own {@code buildXmlElement}; same identity transform, {@code indent=no}, trimmed), but with a document builder
 * and a transformer kept per thread: {@code toXml()} creates a new {@code DocumentBuilderFactory}, document builder,
 * {@code TransformerFactory} and transformer for every document, which was 12 % of the JVM CPU of an SMS webhook
 * (BENCHMARKS.md). When the SDK's method cannot be reached (a later SDK that renames it), {@code toXml()} is used. A
 * thread's transformer may keep a reference to its last document until the next one: one small reply per thread.
 */
final class TwimlWriter {
    /** {@code protected Node buildXmlElement(Document)}: the SDK's own conversion of the builders' tree to DOM. */
    private static final Method BUILD = buildMethod();

    private static final ThreadLocal<Machinery> MACHINERY = ThreadLocal.withInitial(Machinery::new);

    private TwimlWriter() {
    }

    static String toXml(TwiML twiml) throws TwiMLException {
        if (BUILD == null) return twiml.toXml();
        Machinery machinery = MACHINERY.get();
        if (machinery.broken) return twiml.toXml();
        Document document = machinery.builder.newDocument();
        document.setXmlStandalone(true);
        try {
            document.appendChild((Node) BUILD.invoke(twiml, document));
        } catch (IllegalAccessException | InvocationTargetException e) {
            return twiml.toXml();
        }
        StringWriter out = new StringWriter(256);
        try {
            machinery.transformer.transform(new DOMSource(document), new StreamResult(out));
        } catch (TransformerException e) {
            machinery.transformer.reset();
            machinery.transformer.setOutputProperty(OutputKeys.INDENT, "no");
            throw new TwiMLException("Exception serializing TwiML: " + e.getMessage());
        }
        return out.toString().trim();
    }

    /** Whether documents are rendered with the kept machinery (false: every one falls back to {@code toXml()}). */
    static boolean reusesMachinery() {
        return BUILD != null && !MACHINERY.get().broken;
    }

    private static Method buildMethod() {
        try {
            Method method = TwiML.class.getDeclaredMethod("buildXmlElement", Document.class);
            method.setAccessible(true);
            return method;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The same factories and settings as {@code TwiML.toXml()}, made once per thread. */
    private static final class Machinery {
        DocumentBuilder builder;
        Transformer transformer;
        boolean broken;

        Machinery() {
            try {
                builder = DocumentBuilderFactory.newInstance().newDocumentBuilder();
                TransformerFactory factory = TransformerFactory.newInstance();
                try {
                    factory.setAttribute("http://javax.xml.XMLConstants/property/accessExternalDTD", "");
                    factory.setAttribute("http://javax.xml.XMLConstants/property/accessExternalStylesheet", "");
                } catch (IllegalArgumentException e) {
                    // As in the SDK: a factory without these attributes is used as it is.
                }
                transformer = factory.newTransformer();
                transformer.setOutputProperty(OutputKeys.INDENT, "no");
            } catch (ParserConfigurationException | TransformerConfigurationException e) {
                broken = true;
            }
        }
    }
}
