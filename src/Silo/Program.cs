Console.WriteLine("conductor: not yet built");
return 1;
