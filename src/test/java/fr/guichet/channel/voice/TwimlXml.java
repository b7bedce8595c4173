package fr.guichet.channel.voice;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** TwiML parsed by the JDK's XML parser, so a test fails on anything that is not well-formed XML. */
record TwimlXml(Document document) {
    static TwimlXml parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new TwimlXml(factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
        } catch (Exception e) {
            throw new AssertionError("Not valid XML: " + xml, e);
        }
    }

    Element root() {
        return document.getDocumentElement();
    }

    List<Element> all(String tag) {
        NodeList nodes = document.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
        return out;
    }

    Element one(String tag) {
        List<Element> found = all(tag);
        if (found.size() != 1) throw new AssertionError("Expected one <" + tag + "> but found " + found.size());
        return found.get(0);
    }

    /** Names of the root's children, in order. */
    List<String> verbs() {
        return children(root());
    }

    static List<String> children(Element element) {
        List<String> out = new ArrayList<>();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) out.add(e.getTagName());
        }
        return out;
    }
}
