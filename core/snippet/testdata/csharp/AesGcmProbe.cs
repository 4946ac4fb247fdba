// Does this C# runtime run AesGcm? core/snippet's TestCSharpAesGcm compiles and runs it on Mono:
// the day it prints "constructed", a C# app-context program can ship.
using System;
using System.Security.Cryptography;

class AesGcmProbe
{
    static void Main()
    {
        try
        {
            using (new AesGcm(new byte[32])) Console.WriteLine("constructed");
        }
        catch (Exception e)
        {
            Console.WriteLine(e.GetType().FullName + ": " + e.Message);
        }
    }
}
